//! Emits the generated crate's `Cargo.toml`: only the dependencies its model needs.

use crate::ir::Service;
use crate::pattern::{Engine, UnicodeTables};

/// The manifest text.
pub fn emit(service: &Service, header: &str) -> String {
    let header = header.replace("// ", "# ");
    let description = format!(
        "A small client for the {} service (API version {}), generated from its Smithy model",
        service.sdk_id, service.version
    );
    let mut deps = vec![
        r#"fastrand = "2""#.to_string(),
        r#"hmac = "0.13""#.to_string(),
        r#"http = "1""#.to_string(),
        // float_roundtrip: a response number reads back as the exact f64 the service wrote.
        r#"serde_json = { version = "1", features = ["float_roundtrip"] }"#.to_string(),
        r#"sha2 = { version = "0.11", default-features = false }"#.to_string(),
        r#"hyper = { version = "1", default-features = false, features = ["client", "http1"], optional = true }"#.to_string(),
        r#"hyper-util = { version = "0.1.10", default-features = false, features = ["client-legacy", "http1", "tokio"], optional = true }"#.to_string(),
        r#"http-body-util = { version = "0.1", optional = true }"#.to_string(),
        r#"hyper-rustls = { version = "0.27", default-features = false, features = ["http1", "ring", "webpki-roots", "tls12"], optional = true }"#.to_string(),
        r#"rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"], optional = true }"#.to_string(),
        // `rt` runs the IMDS region lookup on a helper thread and refreshes credentials in the
        // background; `sync` lets concurrent calls share one refresh.
        r#"tokio = { version = "1", default-features = false, features = ["rt", "sync", "time"] }"#.to_string(),
        // Reads STS's XML answers (AssumeRole, web identity); it has no dependencies beyond memchr.
        r#"roxmltree = { version = "0.21", default-features = false, features = ["std"] }"#.to_string(),
        r#"aws-credential-types = { version = "1.3", optional = true }"#.to_string(),
    ];
    if let Some(engine) = service.features.pattern_engine {
        deps.push(pattern_engine(engine, service.features.pattern_tables));
    }
    if service.features.blobs {
        deps.push(r#"base64 = { version = "0.23", default-features = false, features = ["std"] }"#.to_string());
    }
    if service.features.request_compression {
        // gzip for `smithy.api#requestCompression`, with the pure-Rust backend only (no C zlib).
        deps.push(r#"flate2 = { version = "1", default-features = false, features = ["rust_backend"] }"#.to_string());
        // Warns about compression settings that do not parse, where aws-config does (`tracing`, so
        // the same subscriber shows both); without its macros crate, so no proc-macro build.
        deps.push(r#"tracing = { version = "0.1", default-features = false, features = ["std"] }"#.to_string());
    }
    if service.features.idempotency_tokens {
        deps.push(r#"uuid = { version = "1", default-features = false, features = ["std", "v4"] }"#.to_string());
    }
    // The command-line tool's own dependencies, optional so library users never build them.
    deps.push(r#"clap = { version = "4.5", default-features = false, features = ["std", "help", "usage", "error-context", "suggestions"], optional = true }"#.to_string());
    deps.push(r#"serde_norway = { version = "0.9", optional = true }"#.to_string());
    deps.sort();
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
default = ["default-https-client"]
# The built-in HTTPS transport: hyper and rustls (ring) on tokio. Turn it off to bring your own `HttpClient`.
# Timeouts and retry backoff use tokio's timer either way, so calls must run inside a tokio runtime.
default-https-client = ["dep:hyper", "dep:hyper-util", "dep:http-body-util", "dep:hyper-rustls", "dep:rustls", "tokio/net"]
# The built-in transport with rustls' aws-lc-rs provider instead of ring, which offers the hybrid
# post-quantum key exchange X25519MLKEM768 first. aws-lc-rs builds a C library (a longer build).
tls-post-quantum = ["default-https-client", "rustls/aws-lc-rs", "rustls/prefer-post-quantum"]
# Accept any provider of the official SDK's `aws-credential-types` (e.g. from aws-config) through
# `runtime::sdk_credentials::SdkCredentials`. It pulls in the SDK's runtime types and needs the Rust
# version that crate asks for.
aws-credential-types = ["dep:aws-credential-types"]
# The command-line tool (`cargo run --features cli -- --help`): clap parses arguments, serde_norway reads --cli-input-yaml.
cli = ["default-https-client", "dep:clap", "dep:serde_norway"]

[[bin]]
name = "{name}"
path = "src/main.rs"
required-features = ["cli"]

[dependencies]
# Kept lean: roxmltree (STS's XML answers) has no dependencies beyond memchr, and tokio's `rt` and
# `sync` (the IMDS region lookup's helper runtime, background credential refresh) add no crates.
{deps}

# `credential_process` runs its program in a process group of its own and kills the whole group
# when it takes too long or the caller stops waiting; rustix sends that signal without `unsafe`.
[target.'cfg(unix)'.dependencies]
rustix = {{ version = "1", default-features = false, features = ["std", "process"] }}

[dev-dependencies]
tokio = {{ version = "1", default-features = false, features = ["rt", "rt-multi-thread", "net", "time", "macros", "io-util", "sync"] }}
"#,
        name = service.crate_name,
        deps = deps.join("\n"),
    )
}

/// The dependency line of the regex engine that runs the crate's patterns, with only the Unicode
/// tables they use.
fn pattern_engine(engine: Engine, tables: UnicodeTables) -> String {
    let mut unicode = Vec::new();
    if tables.general_categories {
        unicode.push(r#""unicode-gencat""#);
    }
    if tables.binary_properties {
        unicode.push(r#""unicode-bool""#);
    }
    match engine {
        Engine::RegexLite => r#"regex-lite = "0.1""#.to_string(),
        // No `unicode-perl`: translations spell `\d`, `\w`, `\s` and `\b` out in ASCII (`pattern.rs`).
        Engine::Regex => format!(
            r#"regex = {{ version = "1", default-features = false, features = ["std", {}] }}"#,
            unicode.join(", ")
        ),
        // fancy-regex hands whatever needs no backtracking to `regex-automata`, whose Unicode tables
        // come all at once with its `unicode` feature.
        Engine::FancyRegex => format!(
            r#"fancy-regex = {{ version = "0.20", default-features = false, features = ["std", "variable-lookbehinds"{}] }}"#,
            if tables.any() { r#", "unicode""# } else { "" }
        ),
    }
}
