//! Emits the generated crate's `Cargo.toml`: the runtime crate with exactly the features its model
//! needs, and the few dependencies generated code names itself.

use crate::ir::Service;
use crate::runtime_crate::{self, RuntimeDependency};

/// The manifest text.
pub fn emit(service: &Service, header: &str, runtime: &RuntimeDependency) -> String {
    let header = header.replace("// ", "# ");
    let description = format!(
        "A small client for the {} service (API version {}), generated from its Smithy model",
        service.sdk_id, service.version
    );
    let runtime_package = runtime_crate::PACKAGE;
    let mut deps = vec![
        runtime.manifest_line(&runtime_crate::features(service)),
        // Deserializers read `serde_json::Value`s, and `document` members are one; float_roundtrip
        // as in the runtime, which parses the bodies.
        r#"serde_json = { version = "1", features = ["float_roundtrip"] }"#.to_string(),
    ];
    if service.features.idempotency_tokens {
        deps.push(r#"uuid = { version = "1", default-features = false, features = ["std", "v4"] }"#.to_string());
    }
    // The command-line tool's argument parser, optional so library users never build it.
    deps.push(r#"clap = { version = "4.5", default-features = false, features = ["std", "help", "usage", "error-context", "suggestions"], optional = true }"#.to_string());
    deps.sort();
    let mut default_features = vec!["\"default-https-client\"".to_string()];
    let mut credential_features = String::new();
    for (feature, what) in runtime_crate::CREDENTIAL_SOURCE_FEATURES {
        default_features.push(format!("{feature:?}"));
        credential_features.push_str(&format!("# {what}.\n{feature} = [\"{runtime_package}/{feature}\"]\n"));
    }
    // A crate with waiters gets tokio's paused clock (`test-util`) for its tests, so a test of a
    // waiter never sleeps for real.
    let tokio_dev = if service.waiters.is_empty() {
        r#"tokio = { version = "1", default-features = false, features = ["rt", "rt-multi-thread", "net", "time", "macros", "io-util", "sync"] }"#
    } else {
        r#"tokio = { version = "1", default-features = false, features = ["rt", "rt-multi-thread", "net", "time", "macros", "io-util", "sync", "test-util"] }"#
    };
    let dev_deps = [
        // Tests that stand in for the network read `http`'s requests and responses.
        r#"http = "1""#.to_string(),
        // The same runtime with its `test-util` feature: the tests the generator writes (endpoint
        // and protocol tests) send through its `RecordingHttpClient`.
        runtime.manifest_line(&["test-util"]),
        tokio_dev.to_string(),
    ];
    format!(
        r#"{header}[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
rust-version = "1.88"
description = "{description}"
license = "Apache-2.0"
publish = false

[features]
default = [{default_features}]
# The built-in HTTPS transport: hyper and rustls (ring) on tokio. Turn it off to bring your own `HttpClient`.
# Timeouts and retry backoff use tokio's timer either way, so calls must run inside a tokio runtime.
default-https-client = ["{runtime_package}/default-https-client"]
# SigV4's SHA-256 and HMAC from RustCrypto's pure-Rust `sha2` and `hmac`, for builds without the built-in
# transport (with it, SigV4 uses the ring its TLS brings). One of the two features must be on.
rust-crypto = ["{runtime_package}/rust-crypto"]
# The built-in transport with rustls' aws-lc-rs provider instead of ring, which offers the hybrid
# post-quantum key exchange X25519MLKEM768 first. aws-lc-rs builds a C library (a longer build).
tls-post-quantum = ["default-https-client", "{runtime_package}/tls-post-quantum"]
# The credential sources `Client::from_env()` tries after the environment variables (always there).
# A worker that knows where its credentials come from can build without the others
# (`default-features = false, features = ["default-https-client", ...]`); a source left out that the
# environment or the profile asks for is an error naming its feature.
{credential_features}# Accept any provider of the official SDK's `aws-credential-types` (e.g. from aws-config) through
# `runtime::sdk_credentials::SdkCredentials`. It pulls in the SDK's runtime types and needs the Rust
# version that crate asks for.
aws-credential-types = ["{runtime_package}/aws-credential-types"]
# The command-line tool (`cargo run --features cli -- --help`): clap parses arguments, serde_norway reads --cli-input-yaml.
cli = ["default-https-client", "{runtime_package}/cli", "dep:clap"]

[[bin]]
name = "{name}"
path = "src/main.rs"
required-features = ["cli"]

[dependencies]
# The runtime (`{runtime_package}`) carries signing, credentials, HTTP, retries and JSON; generated
# code reaches it as `crate::runtime`.
{deps}

[dev-dependencies]
{dev_deps}
"#,
        name = service.crate_name,
        default_features = default_features.join(", "),
        deps = deps.join("\n"),
        dev_deps = dev_deps.join("\n"),
    )
}
