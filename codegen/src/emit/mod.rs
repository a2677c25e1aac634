//! Stage 3, emit and format: turns the IR into the generated crate's files, one emitter per concern.
//!
//! Each Rust emitter builds its file as tokens with `quote` (the syntax pieces they share, and the place
//! to add new ones, are in `tokens.rs`); `format` parses the tokens with `syn` and prints them with
//! `prettyplease`, the one place the output's layout is decided.

mod cargo;
mod cli;
mod client;
pub(crate) mod common;
mod de;
mod endpoint_tests;
mod errors;
mod lib_rs;
mod protocol_tests;
mod ser;
pub(crate) mod tokens;
mod types;
mod validate;
mod values;

pub use protocol_tests::{kind_name as protocol_test_kind, test_name as protocol_test_name};

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use proc_macro2::TokenStream;

use crate::ir::{EndpointResolution, Service};
use crate::pattern::Engine;

/// One file of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the crate root, with `/` separators.
    pub path: String,
    /// The full contents.
    pub contents: String,
}

/// An emitter failed (it panicked, or built tokens that are not a Rust file): always a generator bug,
/// reported with the file it was writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmitError {
    /// The file being emitted.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "generator bug while emitting {}: {}", self.path, self.message)
    }
}

impl std::error::Error for EmitError {}

/// A hand-written runtime module: the checked-in file `codegen/runtime/<file>.rs`, copied into a
/// generated crate as `src/runtime/<name>.rs` unchanged, but for the lines [`runtime_source`] leaves out.
struct RuntimeModule {
    /// The module's name in the crate.
    name: &'static str,
    /// The checked-in file it is a copy of (without `.rs`); the same as `name` but for the pattern
    /// engine, which has one file per engine.
    file: &'static str,
    /// Whether the rest of the crate and its users see it, or only its sibling modules.
    public: bool,
    source: &'static str,
}

const fn runtime(name: &'static str, source: &'static str) -> RuntimeModule {
    RuntimeModule { name, file: name, public: true, source }
}

const CORE_RUNTIME: &[RuntimeModule] = &[
    runtime("client", include_str!("../../runtime/client.rs")),
    // Size- and time-limited reads of the files users name (profile, token and `file://` files).
    runtime("bounded_file", include_str!("../../runtime/bounded_file.rs")),
    // Credentials and region: the core types, then one module per source, the cache and the chain.
    runtime("container_credentials", include_str!("../../runtime/container_credentials.rs")),
    runtime("credential_process", include_str!("../../runtime/credential_process.rs")),
    runtime("credentials", include_str!("../../runtime/credentials.rs")),
    runtime("credentials_cache", include_str!("../../runtime/credentials_cache.rs")),
    runtime("default_chain", include_str!("../../runtime/default_chain.rs")),
    // Endpoint settings and the resolved endpoint; the rules evaluator is `ENDPOINT_RULES_RUNTIME`.
    runtime("endpoint_config", include_str!("../../runtime/endpoint_config.rs")),
    runtime("imds", include_str!("../../runtime/imds.rs")),
    // AWS's partition table: the endpoint rules' `aws.partition`, STS's and the plain pattern's DNS
    // suffixes, so every crate carries it (with its data, `src/runtime/partitions.json`).
    runtime("partitions", include_str!("../../runtime/partitions.rs")),
    runtime("profile_credentials", include_str!("../../runtime/profile_credentials.rs")),
    runtime("profile_file", include_str!("../../runtime/profile_file.rs")),
    runtime("provider_http", include_str!("../../runtime/provider_http.rs")),
    runtime("region", include_str!("../../runtime/region.rs")),
    // Compiled only with the `aws-credential-types` feature (the file opens with its `cfg`).
    runtime("sdk_credentials", include_str!("../../runtime/sdk_credentials.rs")),
    runtime("sts", include_str!("../../runtime/sts.rs")),
    // The signer's timestamps use its calendar, so every crate carries it.
    runtime("datetime", include_str!("../../runtime/datetime.rs")),
    runtime("error", include_str!("../../runtime/error.rs")),
    runtime("http", include_str!("../../runtime/http.rs")),
    runtime("json", include_str!("../../runtime/json.rs")),
    // The body the pipeline sends; its settings and compression are `COMPRESSION_RUNTIME`'s.
    runtime("request_body", include_str!("../../runtime/request_body.rs")),
    runtime("retry", include_str!("../../runtime/retry.rs")),
    runtime("sigv4", include_str!("../../runtime/sigv4.rs")),
    runtime("validate", include_str!("../../runtime/validate.rs")),
];

const TIMESTAMP_RUNTIME: &[RuntimeModule] = &[runtime("json_time", include_str!("../../runtime/json_time.rs"))];

/// The endpoint rules evaluator, for models with a rule set the evaluator runs.
const ENDPOINT_RULES_RUNTIME: &[RuntimeModule] = &[
    runtime("endpoint", include_str!("../../runtime/endpoint.rs")),
    runtime("endpoint_functions", include_str!("../../runtime/endpoint_functions.rs")),
    runtime("endpoint_resolver", include_str!("../../runtime/endpoint_resolver.rs")),
];

const PATTERN_RUNTIME: RuntimeModule = runtime("pattern", include_str!("../../runtime/pattern.rs"));

const fn engine_runtime(file: &'static str, source: &'static str) -> RuntimeModule {
    RuntimeModule { name: "pattern_engine", file, public: false, source }
}

const REGEX_LITE_RUNTIME: RuntimeModule =
    engine_runtime("pattern_engine_regex_lite", include_str!("../../runtime/pattern_engine_regex_lite.rs"));
const REGEX_RUNTIME: RuntimeModule =
    engine_runtime("pattern_engine_regex", include_str!("../../runtime/pattern_engine_regex.rs"));
const FANCY_REGEX_RUNTIME: RuntimeModule =
    engine_runtime("pattern_engine_fancy", include_str!("../../runtime/pattern_engine_fancy.rs"));

/// The module `pattern.rs` runs its checks with: one of three files, always under the name
/// `pattern_engine`, so a crate carries (and depends on) exactly the engine its patterns need.
fn pattern_engine(engine: Engine) -> &'static RuntimeModule {
    match engine {
        Engine::RegexLite => &REGEX_LITE_RUNTIME,
        Engine::Regex => &REGEX_RUNTIME,
        Engine::FancyRegex => &FANCY_REGEX_RUNTIME,
    }
}

/// Request compression: its settings and `Config` setters, and gzip, for models with an operation
/// that compresses; the other crates neither read the settings nor offer the setters.
const COMPRESSION_RUNTIME: &[RuntimeModule] = &[
    runtime("gzip", include_str!("../../runtime/gzip.rs")),
    runtime("request_compression", include_str!("../../runtime/request_compression.rs")),
];

/// Ends the lines of runtime files that only crates with `COMPRESSION_RUNTIME` keep (the client's
/// fields for the compression settings, which name that module's types).
const REQUEST_COMPRESSION_LINE: &str = "// @if request_compression";

const BLOB_RUNTIME: RuntimeModule = runtime("blob", include_str!("../../runtime/blob.rs"));

const BIG_NUMBER_RUNTIME: RuntimeModule = runtime("big_number", include_str!("../../runtime/big_number.rs"));

/// The command-line tool's support, compiled only with the generated crate's `cli` feature.
const CLI_RUNTIME: &[RuntimeModule] = &[
    runtime("cli_app", include_str!("../../runtime/cli_app.rs")),
    runtime("cli_input", include_str!("../../runtime/cli_input.rs")),
    runtime("cli_shorthand", include_str!("../../runtime/cli_shorthand.rs")),
];

/// One generated Rust file as an emitter builds it, for [`format`] to print.
pub(crate) struct RustFile {
    /// The file's inner attributes: module documentation (`//!`, as `#![doc]`) and lint levels.
    pub attrs: TokenStream,
    /// The file's items in order, in chunks of one or a few related items (a struct and its impls).
    /// Each chunk is parsed on its own, so the parser works on a small buffer that stays in cache.
    pub items: Vec<TokenStream>,
}

impl RustFile {
    /// A file with these inner attributes and no items yet.
    pub fn new(attrs: TokenStream) -> Self {
        RustFile { attrs, items: Vec::new() }
    }

    /// Appends a chunk of items (empty tokens add nothing).
    pub fn push(&mut self, items: TokenStream) {
        if !items.is_empty() {
            self.items.push(items);
        }
    }
}

/// Builds one generated Rust file, which [`format`] then prints.
type Emitter = fn(&Service) -> RustFile;

/// Every generated Rust file and its emitter, costliest first (as measured on whole real models), so
/// the long jobs start first and the short ones fill in at the end.
const RUST_FILES: &[(&str, Emitter)] = &[
    ("src/types/builders.rs", types::emit_builders),
    ("src/cli.rs", cli::emit),
    ("src/de.rs", de::emit),
    ("src/validate.rs", validate::emit),
    ("src/types.rs", types::emit),
    ("src/ser.rs", ser::emit),
    ("src/error.rs", errors::emit),
    ("src/client/fluent.rs", client::emit_fluent),
    ("src/client.rs", client::emit),
    ("src/lib.rs", lib_rs::emit),
    ("src/runtime/mod.rs", runtime_mod),
    ("src/main.rs", cli::emit_main),
];

/// The first line of every generated Rust file.
pub fn header(model_file: &str) -> String {
    format!(
        "// @generated by `cargo xtask codegen` from {model_file}. Do not edit: change the model or the generator.\n"
    )
}

/// Every file of the crate, in path order, and warnings about generated tests the emitters had to
/// leave out (their `file` is empty: the caller knows the model's path).
pub fn emit(service: &Service, model_file: &str) -> Result<(Vec<GeneratedFile>, Vec<crate::ir::Warning>), EmitError> {
    let header = header(model_file);
    let mut files = Vec::new();
    files.push(GeneratedFile { path: "Cargo.toml".into(), contents: cargo::emit(service, &header) });
    // Emitting and formatting dominate the run time and the files are independent, so one worker per
    // core takes the next file off the list until none is left. Token streams are not `Send`: a file
    // is built and printed on one worker, which hands back only its text.
    let next = AtomicUsize::new(0);
    let slots: Vec<OnceLock<Result<GeneratedFile, EmitError>>> = RUST_FILES.iter().map(|_| OnceLock::new()).collect();
    let work = || loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(&(path, emitter)) = RUST_FILES.get(index) else { break };
        let built = std::panic::catch_unwind(AssertUnwindSafe(|| format(emitter(service))));
        let failed = |message: String| EmitError { path: path.to_string(), message };
        let _ = slots[index].set(match built {
            Ok(Ok(contents)) => Ok(GeneratedFile { path: path.to_string(), contents: format!("{header}{contents}") }),
            Ok(Err(e)) => Err(failed(e.to_string())),
            Err(_) => Err(failed("the emitter panicked".to_string())),
        });
    };
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(RUST_FILES.len());
    std::thread::scope(|scope| {
        // This thread works too, so a helper that cannot start only leaves it more to do.
        for _ in 1..workers {
            let _ = std::thread::Builder::new().spawn_scoped(scope, work);
        }
        work();
    });
    let rust_files = slots.into_iter().zip(RUST_FILES).map(|(slot, &(path, _))| {
        slot.into_inner().unwrap_or_else(|| {
            Err(EmitError {
                path: path.to_string(),
                message: "no worker built this file (a worker thread stopped)".to_string(),
            })
        })
    });
    for file in rust_files {
        files.push(file?);
    }
    for module in runtime_modules(service).into_iter().chain(CLI_RUNTIME) {
        files.push(GeneratedFile {
            path: format!("src/runtime/{}.rs", module.name),
            contents: runtime_source(module, service),
        });
    }
    // Data, read by `endpoint_config` with `include_str!`: AWS's partition table exactly as checked in.
    files.push(GeneratedFile {
        path: "src/runtime/partitions.json".into(),
        contents: crate::rules::PARTITIONS_JSON.to_string(),
    });
    let mut warnings = Vec::new();
    if let EndpointResolution::Rules(rules) = &service.endpoint {
        // Data, read by the endpoint runtime with `include_str!` (see `client.rs`): the model's rule
        // set without its documentation.
        files.push(GeneratedFile {
            path: "src/runtime/endpoint_rules.json".into(),
            contents: rules.rule_set_json.clone(),
        });
        let tests = endpoint_tests::emit(service, rules);
        warnings = tests.warnings;
        for (path, file) in
            [("tests/endpoint_rules/main.rs", tests.main), ("tests/endpoint_rules/harness.rs", tests.harness)]
        {
            let contents = format(file).map_err(|e| EmitError { path: path.to_string(), message: e.to_string() })?;
            files.push(GeneratedFile { path: path.to_string(), contents: format!("{header}{contents}") });
        }
        files.push(GeneratedFile { path: "tests/endpoint_rules/cases.json".into(), contents: tests.cases_json });
    }
    if !service.protocol_tests.is_empty() {
        let tests = protocol_tests::emit(service);
        for (path, file) in [
            ("tests/protocol_tests/main.rs", tests.main),
            ("tests/protocol_tests/harness.rs", tests.harness),
            ("tests/protocol_tests/cases.rs", tests.cases),
        ] {
            let contents = format(file).map_err(|e| EmitError { path: path.to_string(), message: e.to_string() })?;
            files.push(GeneratedFile { path: path.to_string(), contents: format!("{header}{contents}") });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, warnings))
}

fn runtime_modules(service: &Service) -> Vec<&'static RuntimeModule> {
    let mut modules: Vec<&RuntimeModule> = CORE_RUNTIME.iter().collect();
    if service.features.timestamps {
        modules.extend(TIMESTAMP_RUNTIME.iter());
    }
    if matches!(service.endpoint, EndpointResolution::Rules(_)) {
        modules.extend(ENDPOINT_RULES_RUNTIME.iter());
    }
    if let Some(engine) = service.features.pattern_engine {
        modules.push(&PATTERN_RUNTIME);
        modules.push(pattern_engine(engine));
    }
    if service.features.blobs {
        modules.push(&BLOB_RUNTIME);
    }
    if service.features.big_numbers {
        modules.push(&BIG_NUMBER_RUNTIME);
    }
    if service.features.request_compression {
        modules.extend(COMPRESSION_RUNTIME.iter());
    }
    modules.sort_by_key(|m| m.name);
    modules
}

/// A runtime file's copy for `service`, with its header line naming the file it copies: the file as
/// it is, or without its lines that end in [`REQUEST_COMPRESSION_LINE`] when no operation compresses.
fn runtime_source(module: &RuntimeModule, service: &Service) -> String {
    let file = module.file;
    if service.features.request_compression || !module.source.contains(REQUEST_COMPRESSION_LINE) {
        return format!(
            "// @generated by `cargo xtask codegen`: a copy of codegen/runtime/{file}.rs. Do not edit here.\n{}",
            module.source
        );
    }
    let kept: String = module
        .source
        .split_inclusive('\n')
        .filter(|line| !line.trim_end().ends_with(REQUEST_COMPRESSION_LINE))
        .collect();
    format!(
        "// @generated by `cargo xtask codegen`: a copy of codegen/runtime/{file}.rs without its lines ending in `{REQUEST_COMPRESSION_LINE}`. Do not edit here.\n{kept}"
    )
}

fn runtime_mod(service: &Service) -> RustFile {
    let modules = runtime_modules(service);
    let names = modules.iter().map(|m| {
        let name = tokens::ident(m.name);
        if m.public {
            quote::quote!(pub mod #name;)
        } else {
            quote::quote!(mod #name;)
        }
    });
    let cli_names = CLI_RUNTIME.iter().map(|m| tokens::ident(m.name));
    let mut file = RustFile::new(quote::quote! {
        //! Hand-written support code the generated modules call: JSON, validation, signing, transport, retries.
        //!
        //! Every crate the generator emits carries the same copy, so these APIs are deliberate and tested
        //! on their own.
    });
    file.push(quote::quote! {
        #(#names)*
        #(#[cfg(feature = "cli")] pub mod #cli_names;)*
    });
    file
}

/// Prints one generated Rust file with prettyplease: its inner attributes, then each item, with one
/// blank line between items (prettyplease prints none). Consecutive `use` items, and consecutive
/// `mod name;` declarations, stay together, as people write them. Each chunk of tokens is parsed as a
/// `syn::File` and printed item by item.
///
/// This is the only place the output's layout is decided; nothing edits the printed text.
pub(crate) fn format(rust: RustFile) -> syn::Result<String> {
    let mut out = String::new();
    if !rust.attrs.is_empty() {
        let attrs: syn::File = syn::parse2(rust.attrs)?;
        if let Some(item) = attrs.items.first() {
            return Err(syn::Error::new_spanned(item, "an item among the file's inner attributes"));
        }
        out = prettyplease::unparse(&attrs);
    }
    let mut previous = None;
    for chunk in rust.items {
        let mut file: syn::File = syn::parse2(chunk)?;
        if let Some(attr) = file.attrs.first() {
            return Err(syn::Error::new_spanned(attr, "an inner attribute among the file's items"));
        }
        // `file` now carries one item at a time to the printer.
        for item in std::mem::take(&mut file.items) {
            let group = ItemGroup::of(&item);
            if !out.is_empty() && (group.is_none() || group != previous) {
                out.push('\n');
            }
            previous = group;
            file.items.push(item);
            out.push_str(&prettyplease::unparse(&file));
            file.items.clear();
        }
    }
    Ok(out)
}

/// Kinds of item that [`format`] prints without blank lines between them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ItemGroup {
    Uses,
    ModuleDeclarations,
}

impl ItemGroup {
    fn of(item: &syn::Item) -> Option<ItemGroup> {
        match item {
            syn::Item::Use(_) => Some(ItemGroup::Uses),
            syn::Item::Mod(module) if module.content.is_none() => Some(ItemGroup::ModuleDeclarations),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    use super::{format, RustFile};

    fn file(attrs: TokenStream, items: Vec<TokenStream>) -> RustFile {
        RustFile { attrs, items }
    }

    #[test]
    fn format_prints_items_with_one_blank_line_between_them() {
        let attrs = quote! {
            //! Module docs.
            #![allow(deprecated)]
        };
        let items = vec![
            quote! { use a::B; use c::D; },
            quote! {
                #[doc = " A struct."]
                pub struct S { x: i32 }
                impl S { fn f(&self) -> i32 { self.x } }
            },
            quote! { mod one; },
            quote! { #[cfg(test)] mod two; pub mod inline {} },
        ];
        assert_eq!(
            format(file(attrs, items)).expect("valid tokens"),
            "//! Module docs.\n#![allow(deprecated)]\n\nuse a::B;\nuse c::D;\n\n/// A struct.\npub struct S {\n    x: i32,\n}\n\n\
             impl S {\n    fn f(&self) -> i32 {\n        self.x\n    }\n}\n\nmod one;\n#[cfg(test)]\nmod two;\n\npub mod inline {}\n"
        );
    }

    #[test]
    fn format_of_a_file_without_inner_attributes_starts_with_its_first_item() {
        assert_eq!(format(file(quote!(), vec![quote! { fn f() {} }])).expect("valid tokens"), "fn f() {}\n");
        assert_eq!(format(file(quote!(), Vec::new())).expect("valid tokens"), "");
    }

    #[test]
    fn tokens_that_are_not_a_file_are_an_error() {
        assert!(format(file(quote!(), vec![quote! { fn f() -> {} }])).is_err());
        assert!(format(file(quote!(), vec![quote! { let x = 1; }])).is_err());
        // Inner attributes go in `attrs`, items in `items`; mixed up, they would print in the wrong place.
        assert!(format(file(quote! { fn f() {} }, Vec::new())).is_err());
        assert!(format(file(quote!(), vec![quote! { #![allow(dead_code)] fn f() {} }])).is_err());
    }
}
