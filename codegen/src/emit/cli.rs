//! Emits the command-line tool behind the generated crate's `cli` feature: `src/cli.rs`, one
//! subcommand per operation shaped like the AWS CLI's, and `src/main.rs`, the binary that runs it.
//!
//! Everything model-specific is decided here: command and option names (kebab case), help text
//! from the model's documentation, input and output skeletons, and strict readers that turn JSON,
//! YAML or shorthand values into the input types through their builders. The model-independent
//! parts (shorthand parser, exit codes, documents, printing) are the runtime's `cli_*` modules.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use super::common::{helper_fn, named_in, reachable, stream_field, unchecked_patterns};
use super::runtime_paths::{
    BLOB_READ, CLI_APP_BLOCK_ON, CLI_APP_CONFIG, CLI_APP_FAILURE, CLI_APP_FLAG, CLI_APP_INPUT_DOCUMENT,
    CLI_APP_INPUT_OPTIONS, CLI_APP_OPTION, CLI_APP_OPTION_KIND, CLI_APP_OUTCOME, CLI_APP_RUN, CLI_APP_SKELETON,
    CLI_APP_SKELETON_FN, CLI_APP_WITH_GLOBAL_OPTIONS, CLI_APP_WITH_INPUT_OPTIONS, CLI_APP_WRITE_STREAM,
    CLI_INPUT_BOOLEAN, CLI_INPUT_FLOAT, CLI_INPUT_INPUT_ERROR, CLI_INPUT_INTEGER, CLI_INPUT_LIST, CLI_INPUT_MAP,
    CLI_INPUT_MISSING_MEMBERS, CLI_INPUT_OBJECT, CLI_INPUT_OPTIONAL, CLI_INPUT_SOURCE, CLI_INPUT_SPARSE_LIST,
    CLI_INPUT_SPARSE_MAP, CLI_INPUT_STREAM_FILE, CLI_INPUT_STRING, CLI_INPUT_TEXT_OR_NUMBER, CLI_INPUT_TIMESTAMP,
    CLI_INPUT_UNION_MEMBER, CLI_INPUT_UNKNOWN_MEMBER, CLI_PAGINATE_PAGER, CLI_PAGINATE_PAGE_SIZE_GIVEN,
    CLI_PAGINATE_PAGINATION, CLI_PAGINATE_PAGING, CLI_PAGINATE_TOKEN_KIND, CLI_PAGINATE_WITH_PAGING_OPTIONS,
    VALIDATE_VALIDATE, WAITER_CLI_FAILURE,
};
use super::tokens::{doc, ident, inner_doc_lines, prefixed, rust_type};
use super::RustFile;
use crate::ir::{CliPaging, Field, Operation, Paginator, Presence, Service, TokenKind, Ty, TyKind, TypeDefKind};
use crate::naming;

/// Option names the tool itself defines; a member whose kebab-case name is one of these gets a
/// `-member` suffix instead.
const RESERVED_OPTIONS: &[&str] = &[
    "region",
    "endpoint-url",
    "profile",
    "cli-input-json",
    "cli-input-yaml",
    "generate-cli-skeleton",
    "help",
    "version",
];

/// Recursive shapes are expanded this deep in help text and skeletons.
const MAX_DEPTH: usize = 6;

/// `src/main.rs`: the binary, a one-line call into the library's `cli` module.
pub fn emit_main(service: &Service) -> RustFile {
    let doc = inner_doc_lines(&format!(
        "The `{}` command-line tool (built with `--features cli`); see the library's `cli` module.",
        service.crate_name
    ));
    let krate = ident(&service.crate_name.replace('-', "_"));
    let mut file = RustFile::new(doc);
    file.push(quote! {
        fn main() -> ::std::process::ExitCode {
            ::#krate::cli::main()
        }
    });
    file
}

/// One command-line option for a top-level input member.
struct OptionSpec<'a> {
    field: &'a Field,
    /// `job-id`.
    name: String,
    /// For booleans, the `--no-...` option that sets `false`.
    negated: Option<String>,
}

/// Options for an input's members: kebab-case member names, kept clear of the tool's own options
/// and of each other.
fn option_specs(fields: &[Field]) -> Vec<OptionSpec<'_>> {
    let mut taken: BTreeSet<String> = RESERVED_OPTIONS.iter().map(|s| s.to_string()).collect();
    let mut out = Vec::new();
    for field in fields {
        let mut name = naming::kebab(&field.member_name);
        let is_flag = matches!(field.ty.kind, TyKind::Bool);
        while taken.contains(&name) || (is_flag && taken.contains(&format!("no-{name}"))) {
            name.push_str("-member");
        }
        taken.insert(name.clone());
        let negated = is_flag.then(|| format!("no-{name}"));
        if let Some(negated) = &negated {
            taken.insert(negated.clone());
        }
        out.push(OptionSpec { field, name, negated });
    }
    out
}

/// How a member's option takes its value.
enum ArgShape {
    /// `--flag` / `--no-flag`.
    Flag,
    /// One text value.
    Scalar,
    /// One JSON or shorthand value.
    Composite,
    /// Several values, or one JSON array.
    List { composite: bool },
}

fn arg_shape(ty: &Ty) -> ArgShape {
    match &ty.kind {
        TyKind::Bool => ArgShape::Flag,
        TyKind::Structure(_) | TyKind::Union(_) | TyKind::Map { .. } | TyKind::Document => ArgShape::Composite,
        TyKind::List { member, .. } => ArgShape::List { composite: is_composite(member) },
        _ => ArgShape::Scalar,
    }
}

fn is_composite(ty: &Ty) -> bool {
    matches!(
        ty.kind,
        TyKind::Structure(_) | TyKind::Union(_) | TyKind::Map { .. } | TyKind::List { .. } | TyKind::Document
    )
}

/// Whether reading a value of this type looks at its source, the runtime's `cli_input::Source` (scalars read from text do).
fn uses_source(ty: &Ty) -> bool {
    match &ty.kind {
        TyKind::String
        | TyKind::Enum(_)
        | TyKind::Timestamp(_)
        | TyKind::Blob
        | TyKind::ByteStream
        | TyKind::Document
        | TyKind::BigInteger
        | TyKind::BigDecimal => false,
        TyKind::Map { value, .. } => uses_source(value),
        _ => true,
    }
}

/// The whole `cli` module.
pub fn emit(service: &Service) -> RustFile {
    let inputs: Vec<String> = service.operations.iter().map(|op| op.input.clone()).collect();
    let needed = reachable(service, inputs.iter().cloned());
    // `read_` functions are needed for the types that appear inside another type.
    let mut nested = Vec::new();
    for def in &service.types {
        if !needed.contains(&def.name) {
            continue;
        }
        let fields: &[Field] = match &def.kind {
            TypeDefKind::Structure(s) => &s.fields,
            TypeDefKind::Union(fields) => fields,
            _ => &[],
        };
        for field in fields {
            named_in(&field.ty, &mut nested);
        }
    }
    let nested: BTreeSet<String> = nested.into_iter().collect();

    let arms = service.operations.iter().map(|op| {
        let name = naming::kebab(&op.name);
        let run = prefixed("run_", &op.fn_name);
        quote! { #name => #run(matches), }
    });
    let subcommands = service.operations.iter().map(|op| {
        let command = prefixed("command_", &op.fn_name);
        quote! { .subcommand(#command()) }
    });
    // `wait <waiter-name>`, when the model has waiters.
    let has_waiters = !service.waiters.is_empty();
    let wait_arm = has_waiters.then(|| quote! { "wait" => run_wait(matches), });
    let wait_subcommand = has_waiters.then(|| quote! { .subcommand(command_wait()) });

    let bin = &service.crate_name;
    let title = service.title.clone().unwrap_or_else(|| service.sdk_id.clone());
    // The AWS CLI names a service's command group by its SDK ID, lower case, spaces as hyphens.
    let group = service.sdk_id.to_lowercase().replace(' ', "-");
    let about = format!("Calls {title} from the command line, as the AWS CLI's `aws {group}` commands do");
    let long_about = format!(
        "{about}.\n\nEach command takes one option per input member (structures as JSON or shorthand \
         `key=value,...`), or the whole input from --cli-input-json / --cli-input-yaml."
    );
    let after_help = "Configuration:\n  \
         Region: --region, else AWS_REGION or AWS_DEFAULT_REGION, else the profile's region, else EC2 instance metadata.\n  \
         Endpoint: --endpoint-url, else AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL, else the profile's endpoint_url (its services section first), else the region's endpoint (by the service's endpoint rules, when its model has them); AWS_USE_FIPS_ENDPOINT / use_fips_endpoint and AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint choose FIPS and dual-stack endpoints.\n  \
         Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (skipped with --profile), else the \
         profile (--profile, else AWS_PROFILE or default) in ~/.aws/config and ~/.aws/credentials (keys, \
         credential_process, role_arn, web identity), else AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, else the \
         ECS/EKS container endpoint, else EC2 instance metadata (IMDSv2).\n\n\
         Exit codes:\n  \
         0    success\n  \
         252  invalid command line or parameters (nothing was sent)\n  \
         253  configuration problem (no region, no credentials, bad endpoint)\n  \
         254  the service returned an error\n  \
         255  any other failure (network, timeout, unreadable response)";

    let module_doc = inner_doc_lines(&format!(
        "The `{bin}` command-line tool: one command per operation, with the options, input files, \
         skeletons and exit codes of the AWS CLI.\n\n\
         Compiled only with the `cli` feature (`cargo run --features cli -- --help`). Commands: {}.\n\n\
         Exit codes: 0 success, 252 invalid command line or parameters, 253 configuration (no region or \
         credentials), 254 a service error, 255 anything else.",
        service.operations.iter().map(|op| format!("`{}`", naming::kebab(&op.name))).collect::<Vec<_>>().join(", ")
    ));

    // The CLI exposes every member the model has, deprecated or not; and readers are generated
    // uniformly: every member read is a closure, even a plain function call. Hence the `allow`s.
    let mut file = RustFile::new(quote! {
        #module_doc
        #![allow(deprecated)]
        #![allow(clippy::redundant_closure)]
    });
    file.push(quote! {
        use #CLI_APP_FAILURE;
        use #CLI_APP_OUTCOME;
        use #CLI_APP_SKELETON;
        use #CLI_INPUT_INPUT_ERROR;
        use #CLI_INPUT_SOURCE;

        /// Runs the tool on the process's arguments and returns its exit code.
        pub fn main() -> ::std::process::ExitCode {
            run(::std::env::args_os())
        }

        /// Runs the tool on `args` (the first is the program name): prints the result on stdout or
        /// the error on stderr, and returns the AWS CLI's exit code for the outcome.
        pub fn run(args: impl ::std::iter::IntoIterator<Item = ::std::ffi::OsString>) -> ::std::process::ExitCode {
            #CLI_APP_RUN(command(), args, |name, matches| match name {
                #(#arms)*
                #wait_arm
                other => ::std::result::Result::Err(Failure::Usage(::std::format!("unknown command `{other}`"))),
            })
        }

        /// The tool's command tree: global options and one subcommand per operation.
        pub fn command() -> ::clap::Command {
            let command = ::clap::Command::new(#bin)
                .version(env!("CARGO_PKG_VERSION"))
                .about(#about)
                .long_about(#long_about)
                .after_long_help(#after_help)
                .subcommand_required(true)
                .arg_required_else_help(true)
                #(#subcommands)*
                #wait_subcommand;
            #CLI_APP_WITH_GLOBAL_OPTIONS(command)
        }
    });
    for op in &service.operations {
        file.push(command_fn(service, op));
    }
    for op in &service.operations {
        file.push(run_fn(service, op));
    }
    if has_waiters {
        file.push(wait_items(service));
    }
    for def in &service.types {
        if !needed.contains(&def.name) {
            continue;
        }
        match &def.kind {
            TypeDefKind::Structure(s) => {
                file.push(fill_fn(&def.name, &s.fields));
                if nested.contains(&def.name) {
                    file.push(read_structure_fn(&def.name, &s.fields));
                }
            }
            TypeDefKind::Union(fields) => file.push(read_union_fn(&def.name, fields)),
            TypeDefKind::Enum(_) | TypeDefKind::IntEnum(_) => {}
        }
    }
    file
}

/// The subcommand for one operation: its help and an option per input member.
fn command_fn(service: &Service, op: &Operation) -> TokenStream {
    let func = prefixed("command_", &op.fn_name);
    let name = naming::kebab(&op.name);
    let about = op.summary.clone().unwrap_or_else(|| format!("Calls {}", op.name));
    let long_about = op.docs.clone().unwrap_or_else(|| about.clone());
    let input = service.structure(&op.input);
    let output = service.structure(&op.output);
    let mut after = String::from("Output:\n");
    if output.fields.is_empty() {
        after.push_str("  None: prints nothing when the call succeeds.\n");
    } else {
        describe_fields(service, &output.fields, 2, &mut Vec::new(), &mut after);
    }
    let args = option_specs(&input.fields).into_iter().map(|spec| {
        let field = spec.field;
        let name = &spec.name;
        let (help, long_help) = option_help(service, field);
        match arg_shape(&field.ty) {
            ArgShape::Flag => {
                let negated = spec.negated.as_deref().unwrap_or_default();
                let negated_help = format!("Sets `{}` to false", field.member_name);
                quote! {
                    .arg(
                        ::clap::Arg::new(#name)
                            .long(#name)
                            .action(::clap::ArgAction::SetTrue)
                            .help(#help)
                            .long_help(#long_help)
                    )
                    .arg(
                        ::clap::Arg::new(#negated)
                            .long(#negated)
                            .action(::clap::ArgAction::SetTrue)
                            .conflicts_with(#name)
                            .help(#negated_help)
                    )
                }
            }
            shape => {
                let many = matches!(shape, ArgShape::List { .. }).then(|| quote!(.num_args(1..)));
                let required = matches!(field.presence, Presence::Required)
                    .then(|| quote!(.required_unless_present_any(#CLI_APP_INPUT_OPTIONS)));
                quote! {
                    .arg(
                        ::clap::Arg::new(#name)
                            .long(#name)
                            .value_name("value")
                            #many
                            #required
                            .help(#help)
                            .long_help(#long_help)
                    )
                }
            }
        }
    });
    let doc_line = doc(&format!("The `{name}` command."));
    // As the AWS CLI: a streaming output's body goes to a file named by the last positional argument.
    let outfile = stream_field(&output.fields).filter(|_| op.http.is_some()).map(|field| {
        let help = format!("The file to write the `{}` body to, as it arrives", field.member_name);
        quote! {
            .arg(
                ::clap::Arg::new("outfile")
                    .value_name("outfile")
                    .required_unless_present("generate-cli-skeleton")
                    .help(#help)
            )
        }
    });
    let paging = cli_paging(op).map(|(paginator, _)| {
        let options = paging_options(paginator, &option_specs(&input.fields));
        quote!(let command = #CLI_PAGINATE_WITH_PAGING_OPTIONS(command, &[#(#options),*]);)
    });
    quote! {
        #doc_line
        fn #func() -> ::clap::Command {
            let command = ::clap::Command::new(#name)
                .about(#about)
                .long_about(#long_about)
                .after_long_help(#after)
                #(#args)*
                #outfile;
            #paging
            #CLI_APP_WITH_INPUT_OPTIONS(command)
        }
    }
}

/// Short and long help for a member's option.
fn option_help(service: &Service, field: &Field) -> (String, String) {
    let short = field.summary.clone().unwrap_or_else(|| format!("Sets `{}`", field.member_name));
    let mut long = field.docs.clone().unwrap_or_else(|| short.clone());
    let required = if matches!(field.presence, Presence::Required) { ", required" } else { "" };
    let _ = write!(long, "\n\nType: {}{required}", type_label(&field.ty));
    let details = value_details(service, &field.ty);
    if !details.is_empty() {
        let _ = write!(long, "; {details}");
    }
    match &field.ty.kind {
        TyKind::Timestamp(_) => long.push_str("\nGive epoch seconds (1700000000) or ISO 8601 (2023-11-14T22:13:20Z)."),
        TyKind::Bool => {
            let _ =
                write!(long, "\nGive the option to set true; --no-{} sets false.", naming::kebab(&field.member_name));
        }
        _ => {}
    }
    if let Some(fields) = structure_fields(service, &field.ty) {
        long.push_str("\n\nMembers:\n");
        describe_fields(service, fields, 2, &mut Vec::new(), &mut long);
    }
    if is_composite(&field.ty) {
        let shorthand = match &field.ty.kind {
            TyKind::List { member, .. } => {
                let one = shorthand_value(service, member, &mut Vec::new());
                format!("{one} {one} ...")
            }
            TyKind::Document => String::new(),
            _ => shorthand_members(service, &field.ty, &mut Vec::new()),
        };
        if !shorthand.is_empty() {
            let _ = write!(long, "\nShorthand syntax:\n  {shorthand}\n");
        }
        let _ = write!(long, "\nJSON syntax:\n  {}", json_syntax(service, &field.ty, 2, &mut Vec::new()));
    } else if matches!(field.ty.kind, TyKind::List { .. }) {
        let _ =
            write!(long, "\nGive several values (--{} a b c) or one JSON array.", naming::kebab(&field.member_name));
    }
    (short, long.trim_end().to_string())
}

/// The fields of a structure type (also through a list), for member listings.
fn structure_fields<'s>(service: &'s Service, ty: &Ty) -> Option<&'s [Field]> {
    match &ty.kind {
        TyKind::Structure(name) | TyKind::Union(name) => match &service.type_def(name)?.kind {
            TypeDefKind::Structure(s) => Some(&s.fields),
            TypeDefKind::Union(fields) => Some(fields),
            _ => None,
        },
        TyKind::List { member, .. } => structure_fields(service, member),
        _ => None,
    }
}

fn type_label(ty: &Ty) -> String {
    match &ty.kind {
        TyKind::String | TyKind::Enum(_) => "string".into(),
        TyKind::Bool => "boolean".into(),
        TyKind::Byte => "byte".into(),
        TyKind::Short => "short".into(),
        TyKind::Integer | TyKind::IntEnum(_) => "integer".into(),
        TyKind::Long => "long".into(),
        TyKind::Float => "float".into(),
        TyKind::Double => "double".into(),
        TyKind::BigInteger => "big integer".into(),
        TyKind::BigDecimal => "big decimal".into(),
        TyKind::Timestamp(_) => "timestamp".into(),
        TyKind::Blob => "blob (base64)".into(),
        TyKind::ByteStream => {
            "streaming blob (an input takes a file path; an output goes to the outfile argument)".into()
        }
        TyKind::Document => "document (any JSON)".into(),
        TyKind::Unit => "unit (no value: `{}`)".into(),
        TyKind::Structure(_) => "structure".into(),
        TyKind::Union(_) => "union (exactly one member)".into(),
        TyKind::List { member, .. } => format!("list of {}", type_label(member)),
        TyKind::Map { value, .. } => format!("map of string to {}", type_label(value)),
    }
}

/// Allowed values and constraints, as one line.
fn value_details(service: &Service, ty: &Ty) -> String {
    let mut parts = Vec::new();
    match &ty.kind {
        TyKind::Enum(name) => {
            if let Some(TypeDefKind::Enum(variants)) = service.type_def(name).map(|d| &d.kind) {
                let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
                parts.push(format!("one of: {}", values.join(" | ")));
            }
        }
        TyKind::IntEnum(name) => {
            if let Some(TypeDefKind::IntEnum(variants)) = service.type_def(name).map(|d| &d.kind) {
                let values: Vec<String> = variants.iter().map(|v| v.value.to_string()).collect();
                parts.push(format!("one of: {}", values.join(" | ")));
            }
        }
        TyKind::Map { key, .. } if matches!(key.kind, TyKind::Enum(_)) => {
            parts.push(format!("keys {}", value_details(service, key)));
        }
        _ => {}
    }
    let unit = match ty.kind {
        TyKind::String => " characters",
        TyKind::Blob => " bytes",
        TyKind::List { .. } => " items",
        TyKind::Map { .. } => " entries",
        _ => "",
    };
    if let Some(length) = &ty.constraints.length {
        parts.push(format!(
            "length {}{unit}",
            bounds_text(length.min.map(|n| n.to_string()), length.max.map(|n| n.to_string()))
        ));
    }
    if let Some(range) = &ty.constraints.range {
        parts
            .push(format!("value {}", bounds_text(range.min.map(|n| n.to_string()), range.max.map(|n| n.to_string()))));
    }
    if let Some(name) = &ty.constraints.pattern {
        if let Some(pattern) = service.patterns.iter().find(|p| &p.name == name) {
            parts.push(format!("pattern {}", pattern.ecma));
        }
    }
    let mut details = parts.join("; ");
    for unchecked in unchecked_patterns(ty) {
        if !details.is_empty() {
            details.push_str("; ");
        }
        details.push_str(&unchecked.help_note());
    }
    details
}

fn bounds_text(min: Option<String>, max: Option<String>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "unconstrained".into(),
    }
}

/// `name -> (type, required)` lines with the member's first sentence, nested members indented.
fn describe_fields(service: &Service, fields: &[Field], indent: usize, stack: &mut Vec<String>, out: &mut String) {
    let pad = " ".repeat(indent);
    for field in fields {
        let required = if matches!(field.presence, Presence::Required) { ", required" } else { "" };
        let _ = writeln!(out, "{pad}{} -> ({}{required})", field.member_name, type_label(&field.ty));
        let summary = field.summary.as_deref().unwrap_or_default();
        if !summary.is_empty() {
            let _ = writeln!(out, "{pad}    {summary}");
        }
        let details = value_details(service, &field.ty);
        if !details.is_empty() {
            let _ = writeln!(out, "{pad}    {details}");
        }
        let named = match &field.ty.kind {
            TyKind::Structure(name) | TyKind::Union(name) => Some(name),
            TyKind::List { member, .. } => match &member.kind {
                TyKind::Structure(name) | TyKind::Union(name) => Some(name),
                _ => None,
            },
            _ => None,
        };
        if let (Some(name), Some(inner)) = (named, structure_fields(service, &field.ty)) {
            if stack.len() < MAX_DEPTH && !stack.contains(name) {
                stack.push(name.clone());
                describe_fields(service, inner, indent + 4, stack, out);
                stack.pop();
            }
        }
    }
}

/// The shorthand for one value: a type word for scalars, braces for structures and maps.
fn shorthand_value(service: &Service, ty: &Ty, stack: &mut Vec<String>) -> String {
    match &ty.kind {
        TyKind::Structure(_) | TyKind::Union(_) | TyKind::Map { .. } => {
            format!("{{{}}}", shorthand_members(service, ty, stack))
        }
        TyKind::List { member, .. } if is_composite(member) => {
            let one = shorthand_value(service, member, stack);
            format!("[{one},{one}]")
        }
        TyKind::List { member, .. } => {
            let one = shorthand_value(service, member, stack);
            format!("{one},{one}")
        }
        TyKind::Document => "{...}".into(),
        TyKind::Unit => "{}".into(),
        _ => type_label(ty).split(' ').next().unwrap_or("string").to_string(),
    }
}

/// `key=value,...` for a structure, union or map.
fn shorthand_members(service: &Service, ty: &Ty, stack: &mut Vec<String>) -> String {
    match &ty.kind {
        TyKind::Structure(name) | TyKind::Union(name) => {
            if stack.len() >= MAX_DEPTH || stack.contains(name) {
                return "...".into();
            }
            let Some(fields) = structure_fields(service, ty) else {
                return String::new();
            };
            stack.push(name.clone());
            let parts: Vec<String> = fields
                .iter()
                .map(|f| format!("{}={}", f.member_name, shorthand_value(service, &f.ty, stack)))
                .collect();
            stack.pop();
            parts.join(",")
        }
        TyKind::Map { value, .. } => {
            let value = shorthand_value(service, value, stack);
            format!("KeyName1={value},KeyName2={value}")
        }
        _ => String::new(),
    }
}

/// The JSON shape of a value, with type words in place of values (`"string"`, `integer`).
fn json_syntax(service: &Service, ty: &Ty, indent: usize, stack: &mut Vec<String>) -> String {
    let pad = " ".repeat(indent);
    match &ty.kind {
        TyKind::String => "\"string\"".into(),
        TyKind::Enum(name) => match service.type_def(name).map(|d| &d.kind) {
            Some(TypeDefKind::Enum(variants)) if !variants.is_empty() => {
                variants.iter().map(|v| Value::String(v.value.clone()).to_string()).collect::<Vec<_>>().join("|")
            }
            _ => "\"string\"".into(),
        },
        TyKind::Bool => "true|false".into(),
        TyKind::Document => "{...}".into(),
        TyKind::Unit => "{}".into(),
        TyKind::Blob => "\"base64\"".into(),
        TyKind::Structure(name) | TyKind::Union(name) => {
            if stack.len() >= MAX_DEPTH || stack.contains(name) {
                return "{...}".into();
            }
            let Some(fields) = structure_fields(service, ty) else {
                return "{}".into();
            };
            if fields.is_empty() {
                return "{}".into();
            }
            stack.push(name.clone());
            let members: Vec<String> = fields
                .iter()
                .map(|f| format!("{pad}  \"{}\": {}", f.member_name, json_syntax(service, &f.ty, indent + 2, stack)))
                .collect();
            stack.pop();
            format!("{{\n{}\n{pad}}}", members.join(",\n"))
        }
        TyKind::List { member, .. } => {
            format!("[{}, ...]", json_syntax(service, member, indent, stack))
        }
        TyKind::Map { value, .. } => format!("{{\"string\": {}, ...}}", json_syntax(service, value, indent, stack)),
        _ => type_label(ty).replace(' ', "-"),
    }
}

/// A placeholder value for skeletons: empty strings, zeros, the first enum value.
fn skeleton_value(service: &Service, ty: &Ty, stack: &mut Vec<String>) -> Value {
    match &ty.kind {
        TyKind::String | TyKind::Blob | TyKind::ByteStream => Value::String(String::new()),
        TyKind::Bool => Value::Bool(true),
        TyKind::Byte | TyKind::Short | TyKind::Integer | TyKind::Long | TyKind::BigInteger => Value::from(0),
        TyKind::Float | TyKind::Double | TyKind::BigDecimal => Value::from(0.0),
        TyKind::Timestamp(_) => Value::String("1970-01-01T00:00:00Z".into()),
        TyKind::Document | TyKind::Unit => Value::Object(Map::new()),
        TyKind::Enum(name) => match service.type_def(name).map(|d| &d.kind) {
            Some(TypeDefKind::Enum(variants)) => {
                Value::String(variants.first().map(|v| v.value.clone()).unwrap_or_default())
            }
            _ => Value::String(String::new()),
        },
        TyKind::IntEnum(name) => match service.type_def(name).map(|d| &d.kind) {
            Some(TypeDefKind::IntEnum(variants)) => Value::from(variants.first().map(|v| v.value).unwrap_or_default()),
            _ => Value::from(0),
        },
        TyKind::Structure(name) | TyKind::Union(name) => {
            let mut object = Map::new();
            if stack.len() < MAX_DEPTH && !stack.contains(name) {
                let is_union = matches!(ty.kind, TyKind::Union(_));
                let fields = structure_fields(service, ty).unwrap_or_default();
                stack.push(name.clone());
                // A union holds exactly one member, so its skeleton shows the first.
                for field in fields.iter().take(if is_union { 1 } else { usize::MAX }) {
                    object.insert(field.member_name.clone(), skeleton_value(service, &field.ty, stack));
                }
                stack.pop();
            }
            Value::Object(object)
        }
        TyKind::List { member, .. } => Value::Array(vec![skeleton_value(service, member, stack)]),
        TyKind::Map { value, .. } => {
            let mut object = Map::new();
            object.insert("KeyName".into(), skeleton_value(service, value, stack));
            Value::Object(object)
        }
    }
}

/// A structure's skeleton as JSON indented by four spaces (the AWS CLI's layout), in model order.
fn json_skeleton(service: &Service, structure: &str) -> String {
    let fields = &service.structure(structure).fields;
    let mut object = Map::new();
    let mut stack = vec![structure.to_string()];
    for field in fields {
        object.insert(field.member_name.clone(), skeleton_value(service, &field.ty, &mut stack));
    }
    let mut out = String::new();
    write_json(&Value::Object(object), 0, &mut out);
    out.push('\n');
    out
}

fn write_json(value: &Value, depth: usize, out: &mut String) {
    let pad = |depth: usize| "    ".repeat(depth);
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                write_json(item, depth + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{}]", pad(depth));
        }
        Value::Object(members) if !members.is_empty() => {
            out.push_str("{\n");
            for (i, (key, item)) in members.iter().enumerate() {
                let _ = write!(out, "{}{}: ", pad(depth + 1), Value::String(key.clone()));
                write_json(item, depth + 1, out);
                out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{}}}", pad(depth));
        }
        leaf => out.push_str(&leaf.to_string()),
    }
}

/// A YAML input skeleton with a comment per member: `[REQUIRED]`, its summary and allowed values.
fn yaml_skeleton(service: &Service, structure: &str) -> String {
    let mut out = String::new();
    let mut stack = vec![structure.to_string()];
    yaml_fields(service, &service.structure(structure).fields, 0, &mut stack, &mut out);
    if out.is_empty() {
        out.push_str("{}\n");
    }
    out
}

fn yaml_comment(service: &Service, field: &Field) -> String {
    let mut comment = String::new();
    if matches!(field.presence, Presence::Required) {
        comment.push_str(" [REQUIRED]");
    }
    if let Some(summary) = &field.summary {
        comment.push(' ');
        comment.push_str(summary);
    }
    let details = value_details(service, &field.ty);
    if !details.is_empty() {
        let _ = write!(comment, " ({details})");
    }
    if comment.is_empty() {
        comment
    } else {
        // A comment ends at the line's end, so line breaks inside it become spaces.
        format!("  #{}", comment.replace(['\n', '\r'], " "))
    }
}

fn yaml_scalar(value: &Value) -> String {
    match value {
        // Single quotes keep every value a string (`true`, `1.0`, `a: b` would not be).
        Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        other => other.to_string(),
    }
}

fn yaml_fields(service: &Service, fields: &[Field], indent: usize, stack: &mut Vec<String>, out: &mut String) {
    let pad = " ".repeat(indent);
    for field in fields {
        let comment = yaml_comment(service, field);
        let key = yaml_key(&field.member_name);
        yaml_entry(service, &field.ty, &format!("{pad}{key}:"), &comment, indent, stack, out);
    }
}

fn yaml_key(name: &str) -> String {
    // Plain keys must read back as strings: YAML would take `null`, `true`, `on` or `12` as other types.
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !name.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        && !matches!(
            name.to_ascii_lowercase().as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// Writes `head` (`key:` or `-`) followed by the value of type `ty`, nested values indented.
fn yaml_entry(
    service: &Service,
    ty: &Ty,
    head: &str,
    comment: &str,
    indent: usize,
    stack: &mut Vec<String>,
    out: &mut String,
) {
    let pad = " ".repeat(indent + 2);
    match &ty.kind {
        TyKind::Structure(name) | TyKind::Union(name) => {
            let fields = structure_fields(service, ty).unwrap_or_default();
            if fields.is_empty() || stack.len() >= MAX_DEPTH || stack.contains(name) {
                let _ = writeln!(out, "{head} {{}}{comment}");
                return;
            }
            let _ = writeln!(out, "{head}{comment}");
            let take = if matches!(ty.kind, TyKind::Union(_)) { 1 } else { fields.len() };
            stack.push(name.clone());
            yaml_fields(service, &fields[..take], indent + 2, stack, out);
            stack.pop();
        }
        TyKind::List { member, .. } => {
            let _ = writeln!(out, "{head}{comment}");
            yaml_entry(service, member, &format!("{pad}-"), "", indent + 2, stack, out);
        }
        TyKind::Map { value, .. } => {
            let _ = writeln!(out, "{head}{comment}");
            yaml_entry(service, value, &format!("{pad}KeyName:"), "", indent + 2, stack, out);
        }
        TyKind::Document | TyKind::Unit => {
            let _ = writeln!(out, "{head} {{}}{comment}");
        }
        _ => {
            let value = skeleton_value(service, ty, stack);
            let _ = writeln!(out, "{head} {}{comment}", yaml_scalar(&value));
        }
    }
}

/// The function that runs one command: skeletons, input, validation, the call, the output.
fn run_fn(service: &Service, op: &Operation) -> TokenStream {
    let func = prefixed("run_", &op.fn_name);
    let call = prefixed("call_", &op.fn_name);
    let print = prefixed("output_", &op.fn_name);
    let input_name = ident(&op.input);
    let fill = helper_fn("fill_", &op.input);
    let op_name = &op.name;
    let input = service.structure(&op.input);
    let output = service.structure(&op.output);
    let json = json_skeleton(service, &op.input);
    let yaml = yaml_skeleton(service, &op.input);
    let sample_output = if output.fields.is_empty() {
        quote!(Outcome::Output(::std::string::String::from("{}")))
    } else {
        let text = json_skeleton(service, &op.output);
        quote!(Outcome::Text(#text))
    };
    let specs = option_specs(&input.fields);
    let option_map = specs.iter().map(|spec| {
        let wire = &spec.field.wire_name;
        let name = &spec.name;
        quote!((#wire, #name))
    });
    let sets = specs.iter().map(option_read);
    let doc_line = doc(&format!("Runs `{}`.", naming::kebab(&op.name)));
    let single_call = match stream_field(&output.fields).filter(|_| op.http.is_some()) {
        // The body is written to `outfile` as it arrives; the other members are printed.
        Some(stream) => {
            let field = ident(&stream.rust_name);
            let take = match stream.presence {
                Presence::Optional => quote!(output.#field.take().unwrap_or_default()),
                _ => quote!(::std::mem::take(&mut output.#field)),
            };
            quote! {
                let outfile = matches
                    .get_one::<::std::string::String>("outfile")
                    .ok_or_else(|| Failure::Usage(::std::string::String::from("the outfile argument is required")))?
                    .clone();
                let output = #CLI_APP_BLOCK_ON(async move {
                    let mut output = client.#call(input).await.map_err(|e| Failure::from_sdk(#op_name, e))?;
                    #CLI_APP_WRITE_STREAM(#take, &outfile).await?;
                    ::std::result::Result::Ok::<_, Failure>(output)
                })??;
                ::std::result::Result::Ok(Outcome::Output(crate::ser::#print(&output)))
            }
        }
        None => quote! {
            let output = #CLI_APP_BLOCK_ON(client.#call(input))?
                .map_err(|e| Failure::from_sdk(#op_name, e))?;
            ::std::result::Result::Ok(Outcome::Output(crate::ser::#print(&output)))
        },
    };
    let (paging, mut page_size, call) = match cli_paging(op) {
        None => (TokenStream::new(), TokenStream::new(), single_call),
        Some((paginator, cli)) => {
            let paging = paging_statement(paginator, &specs);
            let page_size = page_size_read(paginator, &specs);
            let call = paged_call(service, op, paginator, cli, single_call);
            (paging, page_size, call)
        }
    };
    // With `--page-size` given, a constraint the page size breaks names that option, not the
    // member's own.
    let mut invalid_options = quote!(OPTIONS);
    if let Some(field) = cli_paging(op).and_then(|(paginator, _)| paginator.page_size.as_ref()) {
        if !page_size.is_empty() {
            let wire = &field.wire_name;
            let option_map = option_map.clone();
            page_size.extend(quote! {
                const PAGE_SIZE_OPTIONS: &[(&str, &str)] = &[(#wire, "page-size"), #(#option_map),*];
                let options = if #CLI_PAGINATE_PAGE_SIZE_GIVEN(matches) { PAGE_SIZE_OPTIONS } else { OPTIONS };
            });
            invalid_options = quote!(options);
        }
    }
    quote! {
        #doc_line
        fn #func(matches: &::clap::ArgMatches) -> ::std::result::Result<Outcome, Failure> {
            const OPTIONS: &[(&str, &str)] = &[#(#option_map),*];
            let skeleton = #CLI_APP_SKELETON_FN(matches);
            match skeleton {
                ::std::option::Option::Some(Skeleton::Input) => {
                    return ::std::result::Result::Ok(Outcome::Text(#json));
                }
                ::std::option::Option::Some(Skeleton::YamlInput) => {
                    return ::std::result::Result::Ok(Outcome::Text(#yaml));
                }
                _ => {}
            }
            #paging
            let mut builder = crate::types::#input_name::builder();
            if let ::std::option::Option::Some((document, option)) = #CLI_APP_INPUT_DOCUMENT(matches)? {
                builder = #fill(builder, &document, Source::Json).map_err(|e| Failure::option(option, e))?;
            }
            #(#sets)*
            #page_size
            let input = builder.build().map_err(|e| Failure::invalid(e, #invalid_options))?;
            #VALIDATE_VALIDATE::validate(&input).map_err(|e| Failure::invalid(e, #invalid_options))?;
            if skeleton == ::std::option::Option::Some(Skeleton::Output) {
                return ::std::result::Result::Ok(#sample_output);
            }
            let config = #CLI_APP_CONFIG(matches, &crate::client::SERVICE);
            let client = crate::client::Client::from_conf(config).map_err(Failure::config)?;
            #call
        }
    }
}

/// The paginator the CLI follows for `op` and what it aggregates, if it paginates (see
/// [`CliPaging`]).
fn cli_paging(op: &Operation) -> Option<(&Paginator, &CliPaging)> {
    let paginator = op.paginator.as_ref()?;
    Some((paginator, paginator.cli.as_ref()?))
}

/// The paging options a paginated command gets: all but those whose names its members' options
/// already use (and `--page-size` only when the model names a page size member).
fn paging_options(paginator: &Paginator, specs: &[OptionSpec<'_>]) -> Vec<&'static str> {
    let taken = |name: &str| specs.iter().any(|s| s.name == name || s.negated.as_deref() == Some(name));
    ["starting-token", "page-size", "max-items", "no-paginate"]
        .into_iter()
        .filter(|name| *name != "page-size" || paginator.page_size.is_some())
        .filter(|name| !taken(name))
        .collect()
}

/// The option IDs of the input token and page size members: setting either by hand turns
/// pagination off.
fn manual_paging_options<'s>(paginator: &Paginator, specs: &'s [OptionSpec<'_>]) -> Vec<&'s str> {
    let members = [Some(&paginator.input_token.member_name), paginator.page_size.as_ref().map(|f| &f.member_name)];
    specs
        .iter()
        .filter(|spec| members.iter().flatten().any(|member| **member == spec.field.member_name))
        .map(|spec| spec.name.as_str())
        .collect()
}

/// `let paging = ...;`: whether and how to paginate, checked before the input is read.
fn paging_statement(paginator: &Paginator, specs: &[OptionSpec<'_>]) -> TokenStream {
    let manual = manual_paging_options(paginator, specs);
    quote!(let paging = #CLI_PAGINATE_PAGING(matches, &[#(#manual),*])?;)
}

/// Applies `--page-size` to the page size member, read as that member's option would be.
fn page_size_read(paginator: &Paginator, specs: &[OptionSpec<'_>]) -> TokenStream {
    let Some(field) = &paginator.page_size else { return TokenStream::new() };
    if !paging_options(paginator, specs).contains(&"page-size") {
        return TokenStream::new();
    }
    option_read(&OptionSpec { field, name: "page-size".to_string(), negated: None })
}

/// The call of a paginated command: one call under `--no-paginate`, else every page, aggregated.
/// The pager reads each page's token from the printed output and hands it back as JSON, which is
/// read into the input token's type as `--cli-input-json` would read it.
fn paged_call(
    service: &Service,
    op: &Operation,
    paginator: &Paginator,
    cli: &CliPaging,
    single_call: TokenStream,
) -> TokenStream {
    let call = prefixed("call_", &op.fn_name);
    let print = prefixed("output_", &op.fn_name);
    let op_name = &op.name;
    let set_input_token = prefixed("set_input_token_", &op.fn_name);
    let input_token = &paginator.input_token.wire_name;
    let output_token = paginator.output_token.wire_names();
    let kind = match paginator.token {
        TokenKind::String => quote!(#CLI_PAGINATE_TOKEN_KIND::String),
        TokenKind::Map => quote!(#CLI_PAGINATE_TOKEN_KIND::Map),
    };
    let result_keys = &cli.result_keys;
    let non_aggregate_keys = &cli.non_aggregate_keys;
    let more_results = match &cli.more_results {
        Some(path) => quote!(::std::option::Option::Some(&[#(#path),*])),
        None => quote!(::std::option::Option::None),
    };
    let token_ty = rust_type(&paginator.input_token.ty);
    let read = read_expr(&paginator.input_token.ty);
    let source = uses_source(&paginator.input_token.ty).then(|| quote!(let source = Source::Json;));
    let (blob_paths_fn, blob_paths) = match blob_paths_fn(service, &paginator.input_token.ty) {
        Some(walk) => (walk, quote!(::std::option::Option::Some(blob_paths))),
        None => (TokenStream::new(), quote!(::std::option::Option::None)),
    };
    quote! {
        let ::std::option::Option::Some(paging) = paging else {
            return { #single_call };
        };
        let pagination = #CLI_PAGINATE_PAGINATION {
            input_token: #input_token,
            token: #kind,
            output_token: &[#(#output_token),*],
            result_keys: &[#(&[#(#result_keys),*]),*],
            non_aggregate_keys: &[#(&[#(#non_aggregate_keys),*]),*],
            more_results: #more_results,
            blob_paths: #blob_paths,
        };
        #blob_paths_fn
        let read_token = |value: &::serde_json::Value| -> ::std::result::Result<#token_ty, InputError> {
            #source
            #read
        };
        let mut pager = #CLI_PAGINATE_PAGER::new(&paging, pagination)?;
        let mut input = input;
        if let ::std::option::Option::Some(token) = pager.first_token() {
            let token = read_token(token).map_err(|e| Failure::Usage(::std::format!("--starting-token: {e}")))?;
            crate::paginators::#set_input_token(&mut input, token);
        }
        let output = #CLI_APP_BLOCK_ON(async move {
            loop {
                let output = client.#call(input.clone()).await.map_err(|e| Failure::from_sdk(#op_name, e))?;
                match pager.page(&crate::ser::#print(&output))? {
                    ::std::option::Option::Some(token) => {
                        let token = read_token(&token).map_err(|e| {
                            Failure::Other(::std::format!("the page token the service sent cannot be sent back: {e}"))
                        })?;
                        crate::paginators::#set_input_token(&mut input, token);
                    }
                    ::std::option::Option::None => return ::std::result::Result::Ok::<_, Failure>(pager.output()),
                }
            }
        })??;
        ::std::result::Result::Ok(Outcome::Output(output))
    }
}

/// `fn blob_paths`, for a map token whose values may hold blobs: the paths (member names and list
/// indexes) of the blob values in a token's JSON, which botocore's resume tokens list
/// (`cli_paginate::Pagination::blob_paths`). `None` when the token's type holds no blob.
fn blob_paths_fn(service: &Service, token: &Ty) -> Option<TokenStream> {
    let with_blobs = types_with_blobs(service);
    if !has_blob(token, &with_blobs) {
        return None;
    }
    let mut roots = Vec::new();
    named_in(token, &mut roots);
    let walks = reachable(service, roots).into_iter().filter(|name| with_blobs.contains(name)).map(|name| {
        let func = helper_fn("blob_paths_", &name);
        let fields: &[Field] = match service.type_def(&name).map(|def| &def.kind) {
            Some(TypeDefKind::Structure(s)) => &s.fields,
            Some(TypeDefKind::Union(fields)) => fields,
            _ => &[],
        };
        let steps = fields.iter().filter(|f| has_blob(&f.ty, &with_blobs)).map(|f| {
            let wire = &f.wire_name;
            let walk = blob_walk(&f.ty, &with_blobs);
            quote! {
                if let ::std::option::Option::Some(value) = value.get(#wire) {
                    path.push(::serde_json::Value::from(#wire));
                    #walk
                    path.pop();
                }
            }
        });
        quote! {
            fn #func(value: &::serde_json::Value, path: &mut ::std::vec::Vec<::serde_json::Value>, out: &mut ::std::vec::Vec<::std::vec::Vec<::serde_json::Value>>) {
                #(#steps)*
            }
        }
    });
    let walk = blob_walk(token, &with_blobs);
    Some(quote! {
        fn blob_paths(value: &::serde_json::Value) -> ::std::vec::Vec<::std::vec::Vec<::serde_json::Value>> {
            #(#walks)*
            let mut paths = ::std::vec::Vec::new();
            let out = &mut paths;
            let path = &mut ::std::vec::Vec::new();
            #walk
            paths
        }
    })
}

/// Statements that record the paths of the blob values in `value` (of type `ty`) into `out`.
fn blob_walk(ty: &Ty, with_blobs: &BTreeSet<String>) -> TokenStream {
    match &ty.kind {
        TyKind::Blob => quote! {
            if value.is_string() {
                out.push(path.clone());
            }
        },
        TyKind::List { member, .. } if has_blob(member, with_blobs) => {
            let walk = blob_walk(member, with_blobs);
            quote! {
                for (index, value) in value.as_array().into_iter().flatten().enumerate() {
                    path.push(::serde_json::Value::from(index));
                    #walk
                    path.pop();
                }
            }
        }
        TyKind::Map { value: value_ty, .. } if has_blob(value_ty, with_blobs) => {
            let walk = blob_walk(value_ty, with_blobs);
            quote! {
                for (key, value) in value.as_object().into_iter().flatten() {
                    path.push(::serde_json::Value::from(key.as_str()));
                    #walk
                    path.pop();
                }
            }
        }
        TyKind::Structure(name) | TyKind::Union(name) if with_blobs.contains(name) => {
            let func = helper_fn("blob_paths_", name);
            quote!(#func(value, path, out);)
        }
        _ => TokenStream::new(),
    }
}

/// Whether a value of `ty` may hold a blob, given the named types that may.
fn has_blob(ty: &Ty, with_blobs: &BTreeSet<String>) -> bool {
    match &ty.kind {
        TyKind::Blob => true,
        TyKind::List { member, .. } => has_blob(member, with_blobs),
        TyKind::Map { value, .. } => has_blob(value, with_blobs),
        TyKind::Structure(name) | TyKind::Union(name) => with_blobs.contains(name),
        _ => false,
    }
}

/// The structures and unions that may hold a blob, through any depth of members, lists and maps.
fn types_with_blobs(service: &Service) -> BTreeSet<String> {
    let mut with_blobs = BTreeSet::new();
    loop {
        let before = with_blobs.len();
        for def in &service.types {
            let fields: &[Field] = match &def.kind {
                TypeDefKind::Structure(s) => &s.fields,
                TypeDefKind::Union(fields) => fields,
                _ => continue,
            };
            if !with_blobs.contains(&def.name) && fields.iter().any(|f| has_blob(&f.ty, &with_blobs)) {
                with_blobs.insert(def.name.clone());
            }
        }
        if with_blobs.len() == before {
            return with_blobs;
        }
    }
}

/// Statements that apply one member's option, if given, over what the input document set.
fn option_read(spec: &OptionSpec<'_>) -> TokenStream {
    let field = spec.field;
    let name = &spec.name;
    let member = &field.member_name;
    let setter = prefixed("set_", &field.rust_name);
    let kind = match arg_shape(&field.ty) {
        ArgShape::Flag => {
            let negated = spec.negated.as_deref().unwrap_or_default();
            return quote! {
                if let ::std::option::Option::Some(value) = #CLI_APP_FLAG(matches, #name, #negated) {
                    builder = builder.#setter(::std::option::Option::Some(value));
                }
            };
        }
        ArgShape::Scalar => quote!(#CLI_APP_OPTION_KIND::Text),
        ArgShape::Composite => quote!(#CLI_APP_OPTION_KIND::Structured),
        ArgShape::List { composite } => {
            quote!(#CLI_APP_OPTION_KIND::List { structured: #composite })
        }
    };
    let read = read_expr(&field.ty);
    let source = source_param(uses_source(&field.ty));
    quote! {
        if let ::std::option::Option::Some(value) = #CLI_APP_OPTION(
            matches,
            #name,
            #member,
            #kind,
            |value, #source| #read,
        )? {
            builder = builder.#setter(::std::option::Option::Some(value));
        }
    }
}

/// A reader's `Source` parameter: `_source` when nothing reads it, so it draws no warning.
fn source_param(used: bool) -> Ident {
    if used {
        ident("source")
    } else {
        ident("_source")
    }
}

/// `fill_<type>`: sets a builder's members from a structure value, rejecting unknown members.
fn fill_fn(name: &str, fields: &[Field]) -> TokenStream {
    let func = helper_fn("fill_", name);
    let builder = format_ident!("{}Builder", naming::unraw(name));
    let source = source_param(fields.iter().any(|f| uses_source(&f.ty)));
    let body = if fields.is_empty() {
        quote! {
            if let ::std::option::Option::Some(key) = #CLI_INPUT_OBJECT(value)?.keys().next() {
                return ::std::result::Result::Err(#CLI_INPUT_UNKNOWN_MEMBER(key, &[]));
            }
            ::std::result::Result::Ok(builder)
        }
    } else {
        let members = fields.iter().map(|f| &f.member_name);
        let arms = fields.iter().map(|f| {
            let member = &f.member_name;
            let setter = prefixed("set_", &f.rust_name);
            let read = read_expr(&f.ty);
            quote! {
                #member => builder.#setter(
                    #CLI_INPUT_OPTIONAL(value, |value| #read).map_err(|e| e.at(#member))?,
                ),
            }
        });
        quote! {
            let mut builder = builder;
            for (key, value) in #CLI_INPUT_OBJECT(value)? {
                builder = match key.as_str() {
                    #(#arms)*
                    other => {
                        return ::std::result::Result::Err(#CLI_INPUT_UNKNOWN_MEMBER(other, &[#(#members),*]));
                    }
                };
            }
            ::std::result::Result::Ok(builder)
        }
    };
    quote! {
        fn #func(
            builder: crate::types::builders::#builder,
            value: &::serde_json::Value,
            #source: Source,
        ) -> ::std::result::Result<crate::types::builders::#builder, InputError> {
            #body
        }
    }
}

/// `read_<type>`: a nested structure, built (so its missing required members are reported).
fn read_structure_fn(name: &str, fields: &[Field]) -> TokenStream {
    let func = helper_fn("read_", name);
    let fill = helper_fn("fill_", name);
    let ty = ident(name);
    let source = source_param(fields.iter().any(|f| uses_source(&f.ty)));
    quote! {
        fn #func(value: &::serde_json::Value, #source: Source) -> ::std::result::Result<crate::types::#ty, InputError> {
            #fill(crate::types::#ty::builder(), value, #source)?
                .build()
                .map_err(#CLI_INPUT_MISSING_MEMBERS)
        }
    }
}

/// `read_<union>`: exactly one known member.
fn read_union_fn(name: &str, fields: &[Field]) -> TokenStream {
    let func = helper_fn("read_", name);
    let ty = ident(name);
    let members = fields.iter().map(|f| &f.member_name);
    let source = source_param(fields.iter().any(|f| uses_source(&f.ty)));
    let arms = fields.iter().map(|f| {
        let member = &f.member_name;
        let variant = ident(&f.rust_name);
        let read = read_expr(&f.ty);
        let wrap = if matches!(f.ty.kind, TyKind::Unit) {
            quote!(|()| crate::types::#ty::#variant)
        } else if f.boxed {
            quote!(|v| crate::types::#ty::#variant(::std::boxed::Box::new(v)))
        } else {
            quote!(crate::types::#ty::#variant)
        };
        // A document is taken as it is: wrapping an `Ok` built on the spot would be a needless `map`.
        if matches!(f.ty.kind, TyKind::Document) && !f.boxed {
            return quote! { #member => ::std::result::Result::Ok(crate::types::#ty::#variant(value.clone())), };
        }
        quote! { #member => (#read).map(#wrap).map_err(|e| e.at(#member)), }
    });
    quote! {
        fn #func(value: &::serde_json::Value, #source: Source) -> ::std::result::Result<crate::types::#ty, InputError> {
            let (key, value) = #CLI_INPUT_UNION_MEMBER(value)?;
            match key {
                #(#arms)*
                other => ::std::result::Result::Err(#CLI_INPUT_UNKNOWN_MEMBER(other, &[#(#members),*])),
            }
        }
    }
}

/// An expression of type `Result<T, InputError>` reading `value: &Value` (with `source: Source`).
fn read_expr(ty: &Ty) -> TokenStream {
    match &ty.kind {
        TyKind::String => quote!(#CLI_INPUT_STRING(value)),
        TyKind::Bool => quote!(#CLI_INPUT_BOOLEAN(value, source)),
        TyKind::Byte => quote!(#CLI_INPUT_INTEGER::<i8>(value, source)),
        TyKind::Short => quote!(#CLI_INPUT_INTEGER::<i16>(value, source)),
        TyKind::Integer => quote!(#CLI_INPUT_INTEGER::<i32>(value, source)),
        TyKind::Long => quote!(#CLI_INPUT_INTEGER::<i64>(value, source)),
        TyKind::Float => quote!(#CLI_INPUT_FLOAT(value, source).map(|v| v as f32)),
        TyKind::Double => quote!(#CLI_INPUT_FLOAT(value, source)),
        TyKind::BigInteger | TyKind::BigDecimal => {
            let rust = rust_type(ty);
            quote! {
                #CLI_INPUT_TEXT_OR_NUMBER(value).and_then(|text| {
                    text.parse::<#rust>().map_err(|e| InputError::new(e.to_string()))
                })
            }
        }
        TyKind::Timestamp(_) => quote!(#CLI_INPUT_TIMESTAMP(value, crate::DateTime::parse_cli)),
        TyKind::Blob => quote!(#BLOB_READ(value).map_err(|e| InputError::new(e.to_string()))),
        // A streaming member is the path of a file, sent as it is read.
        TyKind::ByteStream => quote!(#CLI_INPUT_STREAM_FILE(value)),
        TyKind::Document => quote!(::std::result::Result::<_, InputError>::Ok(value.clone())),
        TyKind::Unit => quote!(#CLI_INPUT_OBJECT(value).map(|_| ())),
        TyKind::Enum(name) => {
            let name = ident(name);
            // Unknown values are kept here and rejected by validation, which lists the allowed ones.
            quote!(#CLI_INPUT_STRING(value).map(|text| crate::types::#name::from(text.as_str())))
        }
        TyKind::IntEnum(name) => {
            let name = ident(name);
            quote!(#CLI_INPUT_INTEGER::<i64>(value, source).map(crate::types::#name::from))
        }
        TyKind::Structure(name) | TyKind::Union(name) => {
            let func = helper_fn("read_", name);
            quote!(#func(value, source))
        }
        TyKind::List { member, sparse } => {
            let item = read_expr(member);
            if *sparse {
                quote!(#CLI_INPUT_SPARSE_LIST(value, source, |value| #item))
            } else {
                quote!(#CLI_INPUT_LIST(value, source, |value| #item))
            }
        }
        TyKind::Map { value: value_ty, sparse, .. } => {
            // The key type converts itself from `&str`, as in the deserializer.
            let item = read_expr(value_ty);
            if *sparse {
                quote!(#CLI_INPUT_SPARSE_MAP(value, |value| #item))
            } else {
                quote!(#CLI_INPUT_MAP(value, |value| #item))
            }
        }
    }
}

/// How long `wait` waits when `--max-wait` is not given, in seconds.
const DEFAULT_MAX_WAIT_SECS: u64 = 600;

/// The option of `wait` commands for the time allowed, clear of the input's member options.
fn max_wait_option(fields: &[Field]) -> String {
    let taken: BTreeSet<String> = option_specs(fields).into_iter().map(|spec| spec.name).collect();
    let mut name = "max-wait".to_string();
    while taken.contains(&name) {
        name.push_str("-secs");
    }
    name
}

/// The `wait` command (`wait table-exists --table-name t`, as the AWS CLI has it): a subcommand per
/// waiter, with the polled operation's input options and `--max-wait`.
fn wait_items(service: &Service) -> TokenStream {
    let subcommands = service.waiters.iter().map(|waiter| {
        let command = prefixed("command_wait_", &waiter.fn_name);
        quote! { .subcommand(#command()) }
    });
    let arms = service.waiters.iter().map(|waiter| {
        let name = &waiter.cli_name;
        let run = prefixed("run_wait_", &waiter.fn_name);
        quote! { #name => #run(matches), }
    });
    let names: Vec<&str> = service.waiters.iter().map(|waiter| waiter.cli_name.as_str()).collect();
    let long_about = format!(
        "Waits until a resource reaches a state: polls an operation, as the model's waiters describe, until \
         the response shows the state waited for (exit code 0, nothing printed), a state it can never \
         leave, or --max-wait seconds ({DEFAULT_MAX_WAIT_SECS} unless given) have passed (both exit code 255, \
         `Waiter <Name> failed: ...` on stderr).\n\nWaiters: {}.",
        names.join(", ")
    );
    let mut items = quote! {
        /// The `wait` command: one subcommand per waiter.
        fn command_wait() -> ::clap::Command {
            ::clap::Command::new("wait")
                .about("Wait until a resource reaches a state")
                .long_about(#long_about)
                .subcommand_required(true)
                .arg_required_else_help(true)
                #(#subcommands)*
        }

        /// Runs `wait <waiter-name>`.
        fn run_wait(matches: &::clap::ArgMatches) -> ::std::result::Result<Outcome, Failure> {
            match matches.subcommand() {
                ::std::option::Option::Some((name, matches)) => match name {
                    #(#arms)*
                    other => ::std::result::Result::Err(Failure::Usage(::std::format!("unknown waiter `{other}`"))),
                },
                ::std::option::Option::None => {
                    ::std::result::Result::Err(Failure::Usage(::std::string::String::from("no waiter given; see wait --help")))
                }
            }
        }
    };
    for waiter in &service.waiters {
        if let Some(op) = service.operations.iter().find(|op| op.name == waiter.operation) {
            items.extend(wait_command(service, op, waiter));
        }
    }
    items
}

/// One waiter's subcommand and its run function.
fn wait_command(service: &Service, op: &Operation, waiter: &crate::ir::waiters::Waiter) -> TokenStream {
    use crate::ir::waiters::{AcceptorState, Matcher};
    use crate::jmespath::Comparator;
    let command = prefixed("command_wait_", &waiter.fn_name);
    let op_command = prefixed("command_", &op.fn_name);
    let run = prefixed("run_wait_", &waiter.fn_name);
    let wait_fn = prefixed("wait_", &waiter.fn_name);
    let name = &waiter.cli_name;
    let waiter_name = &waiter.name;
    let input_name = ident(&op.input);
    let fill = helper_fn("fill_", &op.input);
    let input = service.structure(&op.input);
    let max_wait = max_wait_option(&input.fields);
    let about = format!("Wait until {} (polls {})", waiter.name, naming::kebab(&op.name));
    let mut long_about = format!(
        "Polls `{}` until the `{}` waiter's acceptors reach a success or failure state, or --{max_wait} \
         seconds have passed. Delays start at {} s and back off, with jitter, to at most {} s.",
        naming::kebab(&op.name),
        waiter.name,
        waiter.min_delay,
        waiter.max_delay
    );
    if let Some(docs) = &waiter.docs {
        long_about.push_str("\n\n");
        long_about.push_str(docs);
    }
    let after =
        "Output:\n  None: prints nothing when the waiter succeeds.\n\nExit codes:\n  0    the waiter succeeded\n  \
                 252  invalid command line or parameters (nothing was sent)\n  253  configuration problem\n  \
                 255  the waiter failed: a failure state, an error no acceptor expects, or --max-wait passed";
    let max_wait_help = format!(
        "Give up after this many seconds (default {DEFAULT_MAX_WAIT_SECS}); the last poll happens at the deadline"
    );
    let reasons = waiter.acceptors.iter().map(|acceptor| {
        if acceptor.state != AcceptorState::Failure {
            return String::new();
        }
        match &acceptor.matcher {
            Matcher::Output(path) | Matcher::InputOutput(path) => match path.comparator {
                Comparator::AllStringEquals => {
                    format!("For expression {:?} all members matched expected path: {:?}", path.path, path.expected)
                }
                Comparator::AnyStringEquals => format!(
                    "For expression {:?} we matched expected path: {:?} at least once",
                    path.path, path.expected
                ),
                Comparator::StringEquals | Comparator::BooleanEquals => {
                    format!("For expression {:?} we matched expected path: {:?}", path.path, path.expected)
                }
            },
            Matcher::ErrorType(code) => format!("Matched expected service error code: {code}"),
            Matcher::Success(true) => "Matched a successful response".to_string(),
            Matcher::Success(false) => "Matched an error response".to_string(),
        }
    });
    let specs = option_specs(&input.fields);
    let option_map = specs.iter().map(|spec| {
        let wire = &spec.field.wire_name;
        let name = &spec.name;
        quote!((#wire, #name))
    });
    let sets = specs.iter().map(option_read);
    let json = json_skeleton(service, &op.input);
    let yaml = yaml_skeleton(service, &op.input);
    let command_doc = doc(&format!("The `wait {name}` command."));
    let run_doc = doc(&format!("Runs `wait {name}`."));
    quote! {
        #command_doc
        fn #command() -> ::clap::Command {
            #op_command()
                .name(#name)
                .about(#about)
                .long_about(#long_about)
                .after_long_help(#after)
                .arg(
                    ::clap::Arg::new(#max_wait)
                        .long(#max_wait)
                        .value_name("seconds")
                        .value_parser(::clap::value_parser!(u64))
                        .help(#max_wait_help)
                )
        }

        #run_doc
        fn #run(matches: &::clap::ArgMatches) -> ::std::result::Result<Outcome, Failure> {
            const OPTIONS: &[(&str, &str)] = &[#(#option_map),*];
            const FAILURE_REASONS: &[&str] = &[#(#reasons),*];
            let skeleton = #CLI_APP_SKELETON_FN(matches);
            match skeleton {
                ::std::option::Option::Some(Skeleton::Input) => {
                    return ::std::result::Result::Ok(Outcome::Text(#json));
                }
                ::std::option::Option::Some(Skeleton::YamlInput) => {
                    return ::std::result::Result::Ok(Outcome::Text(#yaml));
                }
                _ => {}
            }
            let mut builder = crate::types::#input_name::builder();
            if let ::std::option::Option::Some((document, option)) = #CLI_APP_INPUT_DOCUMENT(matches)? {
                builder = #fill(builder, &document, Source::Json).map_err(|e| Failure::option(option, e))?;
            }
            #(#sets)*
            let input = builder.build().map_err(|e| Failure::invalid(e, OPTIONS))?;
            #VALIDATE_VALIDATE::validate(&input).map_err(|e| Failure::invalid(e, OPTIONS))?;
            if skeleton == ::std::option::Option::Some(Skeleton::Output) {
                return ::std::result::Result::Ok(Outcome::Output(::std::string::String::from("{}")));
            }
            let max_wait = matches.get_one::<u64>(#max_wait).copied().unwrap_or(#DEFAULT_MAX_WAIT_SECS);
            let config = #CLI_APP_CONFIG(matches, &crate::client::SERVICE);
            let client = crate::client::Client::from_conf(config).map_err(Failure::config)?;
            match #CLI_APP_BLOCK_ON(crate::waiters::#wait_fn(&client, input, ::std::time::Duration::from_secs(max_wait)))? {
                ::std::result::Result::Ok(_) => ::std::result::Result::Ok(Outcome::Output(::std::string::String::from("{}"))),
                ::std::result::Result::Err(e) => ::std::result::Result::Err(#WAITER_CLI_FAILURE(#waiter_name, e, FAILURE_REASONS)),
            }
        }
    }
}
