//! Emits `src/lib.rs`: the crate documentation, module tree and re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::inner_doc_lines;
use super::RustFile;
use crate::ir::Service;

/// The crate root.
pub fn emit(service: &Service) -> RustFile {
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
    let crate_docs = inner_doc_lines(&text);
    // The client calls deprecated operations and setters on the caller's behalf; the other generated
    // modules allow deprecated use inside themselves.
    let client_allow = if service.uses_deprecated() { quote!(#[allow(deprecated)]) } else { TokenStream::new() };
    // rustfmt keeps `use` items sorted; so does the generator (by the paths written here), so the
    // crate root passes `cargo fmt --check`.
    let mut reexports = vec![
        ("client", quote! { pub use client::{Client, Config}; }),
        ("runtime::validate", quote! { pub use runtime::validate::{Validate, ValidationError}; }),
    ];
    if service.features.timestamps {
        reexports.push(("runtime::datetime", quote! { pub use runtime::datetime::{DateTime, DateTimeError}; }));
    }
    if service.features.blobs {
        reexports.push(("runtime::blob", quote! { pub use runtime::blob::Blob; }));
    }
    if service.features.big_numbers {
        reexports.push((
            "runtime::big_number",
            quote! { pub use runtime::big_number::{BigDecimal, BigInteger, BigNumberError}; },
        ));
    }
    reexports.sort_unstable_by_key(|&(path, _)| path);
    let reexports = reexports.into_iter().map(|(_, tokens)| tokens);
    let document = service.features.documents.then(|| {
        quote! {
            /// A `document` value: untyped JSON, sent and received as is.
            pub type Document = ::serde_json::Value;
        }
    });
    let mut file = RustFile::new(quote! {
        #crate_docs
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]
    });
    // Every module is printed by the generator (prettyplease); rustfmt would only reflow them.
    file.push(quote! {
        #[rustfmt::skip]
        #client_allow
        pub mod client;
        #[cfg(feature = "cli")]
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
        mod validate;
        #(#reexports)*
        #document
    });
    file
}
