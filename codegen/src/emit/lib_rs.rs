//! Emits `src/lib.rs`: the crate documentation, module tree and re-exports.

use super::text::{code, inner_doc_lines};
use crate::ir::Service;

/// The crate root.
pub fn emit(service: &Service) -> String {
    let title = service.title.clone().unwrap_or_else(|| service.sdk_id.clone());
    let mut text = format!(
        "A client for {title} (API version {}), generated from the service's Smithy model.\n\n\
         Operations: {}.\n",
        service.version,
        service.operations.iter().map(|op| format!("`{}`", op.name)).collect::<Vec<_>>().join(", ")
    );
    if let Some(docs) = &service.docs {
        text.push_str("\n# About the service\n\n");
        text.push_str(docs);
        text.push('\n');
    }
    let mut out = String::with_capacity(4096);
    inner_doc_lines(&mut out, &text);
    // The client calls deprecated operations and setters on the caller's behalf; the other generated
    // modules allow deprecated use inside themselves.
    let client_allow = if service.uses_deprecated() { "#[allow(deprecated)]" } else { "" };
    code!(
        out,
        "#![deny(missing_docs)]
        #![forbid(unsafe_code)]
        // The generator lays these modules out itself; rustfmt would only reflow them.
        #[rustfmt::skip]
        {client_allow}
        pub mod client;
        #[cfg(feature = \"cli\")]
        #[rustfmt::skip]
        pub mod cli;
        #[rustfmt::skip]
        pub mod error;
        #[rustfmt::skip]
        pub mod runtime;
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        mod de;
        #[rustfmt::skip]
        mod ser;
        #[rustfmt::skip]
        mod validate;"
    );
    let mut reexports =
        vec!["pub use client::{Client, Config};", "pub use runtime::validate::{Validate, ValidationError};"];
    if service.features.timestamps {
        reexports.push("pub use runtime::datetime::{DateTime, DateTimeError};");
    }
    if service.features.blobs {
        reexports.push("pub use runtime::blob::Blob;");
    }
    if service.features.big_numbers {
        reexports.push("pub use runtime::big_number::{BigDecimal, BigInteger, BigNumberError};");
    }
    // rustfmt keeps `use` items sorted; so does the generator, so the crate root passes `cargo fmt --check`.
    reexports.sort_unstable();
    for reexport in reexports {
        code!(out, "{reexport}");
    }
    if service.features.documents {
        code!(
            out,
            "/// A `document` value: untyped JSON, sent and received as is.
            pub type Document = ::serde_json::Value;"
        );
    }
    out
}
