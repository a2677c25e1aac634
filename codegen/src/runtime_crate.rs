//! The runtime crate every generated crate depends on (`smithy-lite-runtime`, in `codegen/runtime/`):
//! its name and version, the Cargo features a model needs, the dependency line a generated manifest
//! gives it, and its files, embedded so `vendor` mode can write the crate anywhere.

use crate::ir::{EndpointResolution, Service};
use crate::pattern::Engine;

/// The runtime's package name.
pub const PACKAGE: &str = "smithy-lite-runtime";

/// The runtime's version (its `Cargo.toml`), which generated manifests require.
pub const VERSION: &str = "0.1.0";

/// The version of the interface between generated code and the runtime (`GENERATED_CODE_VERSION` in
/// its `src/lib.rs`), which every generated crate asserts at compile time.
pub const GENERATED_CODE_VERSION: u32 = 2;

/// Where a generated crate's manifest finds the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// A path dependency on the runtime crate's directory, as the manifest writes it: relative to the
    /// generated crate's directory, or absolute.
    Path(String),
    /// A version requirement, for a runtime taken from a registry.
    Version(String),
}

impl Default for RuntimeDependency {
    /// The version this generator was built with, from a registry.
    fn default() -> Self {
        RuntimeDependency::Version(VERSION.to_string())
    }
}

impl RuntimeDependency {
    /// The `[dependencies]` line for the runtime, with default features off and `features` on.
    pub fn manifest_line(&self, features: &[&str]) -> String {
        let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
        let rest = format!("default-features = false, features = [{}]", features.join(", "));
        match self {
            // `version` beside `path`: cargo refuses a runtime at that path whose version does not
            // match, with a message naming both.
            RuntimeDependency::Path(path) => {
                format!("{PACKAGE} = {{ path = {}, version = \"{VERSION}\", {rest} }}", toml_string(path))
            }
            RuntimeDependency::Version(requirement) => {
                format!("{PACKAGE} = {{ version = {}, {rest} }}", toml_string(requirement))
            }
        }
    }
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The credential sources of the default chain that are features of the runtime (the environment
/// variables are always there), in the chain's order. Generated crates forward each as a feature of
/// their own, on by default.
pub const CREDENTIAL_SOURCE_FEATURES: &[(&str, &str)] = &[
    (
        "credentials-profile",
        "Static keys, roles and processes named by a profile of ~/.aws/config and ~/.aws/credentials",
    ),
    ("credentials-process", "`credential_process`: a program that prints credentials"),
    ("credentials-sts", "STS: roles a profile assumes (`role_arn`) and web identity (AWS_WEB_IDENTITY_TOKEN_FILE)"),
    ("credentials-container", "The ECS / EKS Pod Identity container endpoint (AWS_CONTAINER_CREDENTIALS_*)"),
    (
        "credentials-imds",
        "The EC2 instance metadata service: the instance role, and the region when nothing else names one",
    ),
];

/// The runtime features `service` needs beyond the ones its crate's own features turn on (the HTTPS
/// client, the credential sources, the CLI, `aws-credential-types`), sorted.
pub fn features(service: &Service) -> Vec<&'static str> {
    let mut features = Vec::new();
    let needs = &service.features;
    if matches!(service.endpoint, EndpointResolution::Rules(_)) {
        features.push("endpoint-rules");
    }
    if needs.blobs {
        features.push("blob");
    }
    if service.protocol == crate::model::Protocol::RestJson1 {
        features.push("rest-json");
    }
    if service.operations.iter().any(|op| op.paginator.is_some()) {
        features.push("paginators");
    }
    if needs.request_compression {
        features.push("request-compression");
    }
    if needs.content_md5 {
        features.push("content-md5");
    }
    if !service.waiters.is_empty() {
        features.push("waiters");
    }
    match needs.pattern_engine {
        None => {}
        Some(Engine::RegexLite) => features.push("pattern-regex-lite"),
        Some(Engine::Regex) => {
            features.push("pattern-regex");
            if needs.pattern_tables.general_categories {
                features.push("pattern-regex-unicode-gencat");
            }
            if needs.pattern_tables.binary_properties {
                features.push("pattern-regex-unicode-bool");
            }
        }
        Some(Engine::FancyRegex) => {
            features.push("pattern-fancy-regex");
            if needs.pattern_tables.any() {
                features.push("pattern-fancy-regex-unicode");
            }
        }
    }
    features.sort_unstable();
    features
}

macro_rules! runtime_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../runtime/", $path)))),*]
    };
}

/// Every file of the runtime crate, by its path inside the crate: what `vendor` mode writes.
pub const FILES: &[(&str, &str)] = runtime_files![
    "Cargo.toml",
    "data/partitions.json",
    "src/absent_sources.rs",
    "src/big_number.rs",
    "src/blob.rs",
    "src/bounded_file.rs",
    "src/byte_stream.rs",
    "src/cli_app.rs",
    "src/cli_input.rs",
    "src/cli_paginate.rs",
    "src/cli_shorthand.rs",
    "src/client.rs",
    "src/client_streaming.rs",
    "src/container_credentials.rs",
    "src/credential_process.rs",
    "src/credentials.rs",
    "src/credentials_cache.rs",
    "src/crypto.rs",
    "src/datetime.rs",
    "src/default_chain.rs",
    "src/endpoint.rs",
    "src/endpoint_config.rs",
    "src/endpoint_functions.rs",
    "src/endpoint_resolver.rs",
    "src/error.rs",
    "src/gzip.rs",
    "src/http.rs",
    "src/imds.rs",
    "src/json.rs",
    "src/json_time.rs",
    "src/lib.rs",
    "src/paginator.rs",
    "src/partitions.rs",
    "src/pattern.rs",
    "src/pattern_engine_fancy.rs",
    "src/pattern_engine_regex.rs",
    "src/pattern_engine_regex_lite.rs",
    "src/profile_credentials.rs",
    "src/profile_file.rs",
    "src/provider_http.rs",
    "src/region.rs",
    "src/request_body.rs",
    "src/request_compression.rs",
    "src/rest.rs",
    "src/retry.rs",
    "src/sdk_credentials.rs",
    "src/sigv4.rs",
    "src/sts.rs",
    "src/test_certificates.rs",
    "src/test_util.rs",
    "src/validate.rs",
    "src/waiter.rs",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime")
    }

    #[test]
    fn the_embedded_files_are_every_file_of_the_runtime_crate() {
        let mut on_disk = vec!["Cargo.toml".to_string()];
        for dir in ["data", "src"] {
            for entry in std::fs::read_dir(runtime_dir().join(dir)).expect("read the runtime crate") {
                let name = entry.expect("a directory entry").file_name().into_string().expect("a UTF-8 name");
                on_disk.push(format!("{dir}/{name}"));
            }
        }
        on_disk.sort();
        let mut embedded: Vec<String> = FILES.iter().map(|(path, _)| path.to_string()).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk, "FILES must list every file of codegen/runtime, so a vendored copy builds");
    }

    #[test]
    fn the_versions_are_the_runtime_crates_own() {
        let manifest = std::fs::read_to_string(runtime_dir().join("Cargo.toml")).expect("read Cargo.toml");
        assert!(manifest.contains(&format!("\nversion = \"{VERSION}\"\n")), "VERSION is not the runtime's version");
        let lib = std::fs::read_to_string(runtime_dir().join("src/lib.rs")).expect("read lib.rs");
        assert!(
            lib.contains(&format!("pub const GENERATED_CODE_VERSION: u32 = {GENERATED_CODE_VERSION};")),
            "GENERATED_CODE_VERSION is not the runtime's"
        );
    }

    #[test]
    fn manifest_lines_name_the_runtime_with_only_the_features_asked_for() {
        assert_eq!(
            RuntimeDependency::Path("../codegen/runtime".into()).manifest_line(&["blob", "endpoint-rules"]),
            format!(
                "smithy-lite-runtime = {{ path = \"../codegen/runtime\", version = \"{VERSION}\", default-features = false, features = [\"blob\", \"endpoint-rules\"] }}"
            )
        );
        assert_eq!(
            RuntimeDependency::Version("0.1".into()).manifest_line(&[]),
            "smithy-lite-runtime = { version = \"0.1\", default-features = false, features = [] }"
        );
        // A path with quotes or backslashes stays one TOML string.
        assert!(RuntimeDependency::Path(r#"C:\a "b""#.into()).manifest_line(&[]).contains(r#"path = "C:\\a \"b\"""#));
    }
}
