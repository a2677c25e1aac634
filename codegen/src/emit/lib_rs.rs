//! Emits `src/lib.rs`: the crate documentation, module tree and re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime_paths::{
    BIG_NUMBER_BIG_DECIMAL, BIG_NUMBER_BIG_INTEGER, BIG_NUMBER_BIG_NUMBER_ERROR, BLOB_BLOB, BYTE_STREAM_BYTE_STREAM,
    BYTE_STREAM_BYTE_STREAM_ERROR, DATETIME_DATE_TIME, DATETIME_DATE_TIME_ERROR, GENERATED_CODE_VERSION,
    VALIDATE_VALIDATE, VALIDATE_VALIDATION_ERROR,
};
use super::tokens::inner_doc_lines;
use super::RustFile;
use crate::ir::{EndpointResolution, Service};
use crate::runtime_crate;

/// The crate root.
pub fn emit(service: &Service) -> RustFile {
    let title = service.title.clone().unwrap_or_else(|| service.sdk_id.clone());
    let mut text = format!(
        "A client for {title} (API version {}), generated from the service's Smithy model.\n\n\
         Operations: {}.\n",
        service.version,
        service.operations.iter().map(|op| format!("`{}`", op.name)).collect::<Vec<_>>().join(", ")
    );
    if !service.waiters.is_empty() {
        let names: Vec<String> = service.waiters.iter().map(|w| format!("`{}`", w.name)).collect();
        text.push_str(&format!("\nWaiters (`Client::wait_until_*`, see [`waiters`]): {}.\n", names.join(", ")));
    }
    text.push_str(&endpoint_docs(service));
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
    let mut reexported = vec![VALIDATE_VALIDATE, VALIDATE_VALIDATION_ERROR];
    if service.features.timestamps {
        reexported.extend([DATETIME_DATE_TIME, DATETIME_DATE_TIME_ERROR]);
    }
    if service.features.blobs {
        reexported.push(BLOB_BLOB);
    }
    if service.features.byte_streams {
        reexported.extend([BYTE_STREAM_BYTE_STREAM, BYTE_STREAM_BYTE_STREAM_ERROR]);
    }
    if service.features.big_numbers {
        reexported.extend([BIG_NUMBER_BIG_DECIMAL, BIG_NUMBER_BIG_INTEGER, BIG_NUMBER_BIG_NUMBER_ERROR]);
    }
    let mut reexports = vec![
        // rustfmt puts a path from the crate root (`::name`) before the others.
        (String::new(), runtime_reexport()),
        ("client".to_string(), quote! { pub use client::{Client, Config}; }),
    ];
    for item in reexported {
        let path = item.in_crate_root();
        reexports.push((path.to_string(), quote! { pub use #path; }));
    }
    reexports.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let reexports = reexports.into_iter().map(|(_, tokens)| tokens);
    let document = service.features.documents.then(|| {
        quote! {
            /// A `document` value: untyped JSON, sent and received as is.
            pub type Document = ::serde_json::Value;
        }
    });
    let paginators = super::paginators::any(service).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod paginators;
        }
    });
    let waiters = (!service.waiters.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod waiters;
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
        #paginators
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        mod de;
        #[rustfmt::skip]
        mod ser;
        #[rustfmt::skip]
        mod validate;
        #waiters
        #(#reexports)*
        #document
    });
    file.push(runtime_version_check(service));
    file
}

/// The `# Endpoints` section: where requests go, and which settings change it.
fn endpoint_docs(service: &Service) -> String {
    let prefix = &service.endpoint_prefix;
    let pattern = format!(
        "requests go to the endpoint URL when one is set (`Config::endpoint_url`, `AWS_ENDPOINT_URL_...`, the \
         profile), else to `https://{prefix}.{{region}}.{{dnsSuffix}}`, the DNS suffix of the region's partition in \
         AWS's partition table (which the runtime carries: `amazonaws.com`, `amazonaws.com.cn` in China, ...). \
         FIPS and dual-stack endpoints cannot be found without rules: asking for them is a configuration error."
    );
    let mut text = String::from("\n# Endpoints\n\n");
    match &service.endpoint {
        EndpointResolution::Rules(rules) => {
            text.push_str(
                "The client finds its endpoint with the service's own endpoint rules (`smithy.rules#endpointRuleSet`, \
                 embedded as `src/endpoint_rules.json`) and AWS's partition table (which \
                 the runtime carries), once when it is built. The region, `Config::use_fips`, \
                 `Config::use_dual_stack`, `Config::endpoint_url` and `Config::account_id_endpoint_mode` (or \
                 `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_ENDPOINT_URL_...`, \
                 `AWS_ACCOUNT_ID_ENDPOINT_MODE` and the profile's keys; see `runtime::endpoint_config`) are the \
                 rules' inputs; a combination the rules refuse is a configuration error with their message. The \
                 model's endpoint tests are the crate's `tests/endpoint_rules` test.\n",
            );
            let per_call: Vec<String> = service
                .operations
                .iter()
                .filter(|op| !op.endpoint_params.is_empty())
                .map(|op| format!("`{}`", op.name))
                .collect();
            if !per_call.is_empty() {
                let params: std::collections::BTreeSet<&str> = service
                    .operations
                    .iter()
                    .flat_map(|op| op.endpoint_params.iter().map(|p| p.name.as_str()))
                    .collect();
                let params: Vec<String> = params.into_iter().map(|p| format!("`{p}`")).collect();
                text.push_str(&format!(
                    "\nThese operations resolve their endpoint per call, as their input sets the rules' {}: {}.\n",
                    params.join(", "),
                    per_call.join(", ")
                ));
            }
            if rules
                .parameters
                .iter()
                .any(|p| p.built_in.as_deref() == Some(crate::rules::endpoint::built_in::ACCOUNT_ID))
            {
                text.push_str(
                    "\nThe rules use the credentials' account (`AWS::Auth::AccountId`), so every call resolves its \
                     endpoint once its credentials are known (the same account and input reuse one).\n",
                );
            }
            if !rules.client_params.is_empty() {
                text.push_str("\nRule parameters the configuration sets with `Config::endpoint_param`:\n\n");
                for param in &rules.client_params {
                    text.push_str(&format!("- `{}` ({})\n", param.name, param.param_type));
                }
            }
        }
        EndpointResolution::Pattern => {
            text.push_str(&format!("The service model has no endpoint rules, so {pattern}\n"));
        }
        EndpointResolution::Unsupported { location, reason } => {
            text.push_str(&format!(
                "The service model's endpoint rules need something this generator cannot evaluate ({reason}, at \
                 `{location}`), so {pattern}\n"
            ));
        }
    }
    text
}

/// The one path generated code reaches the runtime crate through: `crate::runtime`.
fn runtime_reexport() -> TokenStream {
    let krate = super::tokens::ident(&runtime_crate::PACKAGE.replace('-', "_"));
    let docs = format!(
        " The runtime crate this client is built on (`{}`): its configuration, credentials, HTTP client \
         and error types are shared by every client generated against it.",
        runtime_crate::PACKAGE
    );
    quote! {
        #[doc = #docs]
        pub use ::#krate as runtime;
    }
}

/// The check that the runtime is the one the crate was generated for.
fn runtime_version_check(service: &Service) -> TokenStream {
    // Spelled from the crate root: the assertion's arguments are printed as tokens, and the printer
    // would write `crate ::runtime`.
    let interface = GENERATED_CODE_VERSION.in_crate_root();
    let version = proc_macro2::Literal::u32_unsuffixed(runtime_crate::GENERATED_CODE_VERSION);
    let message = format!(
        "{} was generated for {} {} (generated-code interface {version}), and the {} it is built with has \
         another interface: regenerate the crate, or depend on the runtime version it names",
        service.crate_name,
        runtime_crate::PACKAGE,
        runtime_crate::VERSION,
        runtime_crate::PACKAGE
    );
    quote! {
        const _: () = ::std::assert!(#interface == #version, #message);
    }
}
