//! Emits `src/error.rs`: one error enum per operation, with a variant per modeled error.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::common::fn_suffix;
use super::runtime_paths::{
    ERROR_CONFIG_ERROR, ERROR_ERROR_METADATA, ERROR_RESPONSE_ERROR, ERROR_SDK_ERROR, ERROR_SERVICE_ERROR,
    ERROR_TIMEOUT_ERROR, ERROR_UNHANDLED_ERROR, JSON_DESERIALIZE_ERROR, JSON_READ_BODY, VALIDATE_LENGTH_UNIT,
    VALIDATE_VALIDATION_ERROR, VALIDATE_VIOLATION, VALIDATE_VIOLATION_KIND,
};
use super::tokens::{allow_deprecated, doc, doc_attrs, ident};
use super::RustFile;
use crate::ir::{Operation, Service, TypeDefKind};

/// The whole `error` module.
pub fn emit(service: &Service) -> RustFile {
    let allow_deprecated = allow_deprecated(service);
    let mut file = RustFile::new(quote! {
        //! Errors: one enum per operation, plus what every call can fail with.
        #allow_deprecated
    });
    file.push(quote! {
        pub use #ERROR_CONFIG_ERROR;
        pub use #ERROR_ERROR_METADATA;
        pub use #ERROR_RESPONSE_ERROR;
        pub use #ERROR_SDK_ERROR;
        pub use #ERROR_SERVICE_ERROR;
        pub use #ERROR_TIMEOUT_ERROR;
        pub use #ERROR_UNHANDLED_ERROR;
        pub use #JSON_DESERIALIZE_ERROR;
        pub use #VALIDATE_LENGTH_UNIT;
        pub use #VALIDATE_VALIDATION_ERROR;
        pub use #VALIDATE_VIOLATION;
        pub use #VALIDATE_VIOLATION_KIND;
    });
    for op in &service.operations {
        file.push(operation_error(service, op));
    }
    file
}

fn operation_error(service: &Service, op: &Operation) -> TokenStream {
    let name = ident(&op.error_name);
    let doc = doc(&format!("Errors the service may answer a call to `{}` with.", op.name));
    let mut variants = Vec::new();
    let mut inners = Vec::new();
    let mut codes = Vec::new();
    let mut parses = Vec::new();
    let mut retryables = Vec::new();
    let mut matched: std::collections::BTreeSet<&str> = op
        .errors
        .iter()
        .filter_map(|error| match &service.type_def(error)?.kind {
            TypeDefKind::Structure(s) => s.error.as_ref().map(|info| info.code.as_str()),
            _ => None,
        })
        .collect();
    for error in &op.errors {
        let Some(def) = service.type_def(error) else { continue };
        let TypeDefKind::Structure(s) = &def.kind else { continue };
        let Some(info) = &s.error else { continue };
        let variant = ident(error);
        let docs = doc_attrs(def.docs.as_deref(), &format!("The service's `{}` error.", info.code));
        variants.push(quote! { #docs #variant(crate::types::#variant), });
        inners.push(quote! { #name::#variant(e) => e, });
        let code = &info.code;
        // A query-compatible service names the error by its awsQuery code, as its earlier clients knew
        // it; the response's metadata carries that code when the service sends it.
        // A code already matched (another error's shape name or query code) is not matched again.
        let (shown, codes_on_wire) = match &info.query_code {
            Some(query_code) if query_code != code && matched.insert(query_code.as_str()) => {
                (query_code, quote!(Some(#code | #query_code)))
            }
            _ => (code, quote!(Some(#code))),
        };
        codes.push(quote! { #name::#variant(_) => Some(#shown), });
        let de = format_ident!("de_{}", fn_suffix(error));
        parses.push(quote! {
            #codes_on_wire => match #JSON_READ_BODY(body, crate::de::#de) {
                Ok(error) => #name::#variant(error),
                Err(_) => #name::Unhandled(#ERROR_UNHANDLED_ERROR::new(meta.clone())),
            },
        });
        if info.retryable.is_some() {
            retryables.push(quote! { #name::#variant(_) });
        }
    }
    let parse_body = if parses.is_empty() {
        quote! {
            let _ = body;
            #name::Unhandled(#ERROR_UNHANDLED_ERROR::new(meta.clone()))
        }
    } else {
        quote! {
            match meta.code() {
                #(#parses)*
                _ => #name::Unhandled(#ERROR_UNHANDLED_ERROR::new(meta.clone())),
            }
        }
    };
    // restJson1 errors are read by `de::http_error_*` (`rest_response`), from their headers too.
    let from_response = if op.http.is_none() {
        quote! {
            /// Builds the error from a response's metadata and body (`{}` when it was not JSON).
            pub(crate) fn from_response(meta: &#ERROR_ERROR_METADATA, body: &[u8]) -> Self {
                #parse_body
            }
        }
    } else {
        TokenStream::new()
    };
    // One pattern for the retryable errors, as most operations have none.
    let is_retryable = if retryables.is_empty() { quote!(false) } else { quote!(matches!(self, #(#retryables)|*)) };
    let code_doc = if service.query_compatible {
        super::tokens::doc("The error's code: a modeled error's awsQuery code where the model gives one, else its shape name; for other errors, the code the response named, if any.")
    } else {
        super::tokens::doc("The error code on the wire (a modeled error's shape name), if known.")
    };
    quote! {
        #doc
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An error the model does not list for this operation; its code and message are kept.
            Unhandled(#ERROR_UNHANDLED_ERROR),
        }

        impl #name {
            #code_doc
            pub fn code(&self) -> Option<&str> {
                match self {
                    #(#codes)*
                    #name::Unhandled(e) => e.meta().code(),
                }
            }

            /// Whether the model marks this error `@retryable`.
            pub fn is_retryable(&self) -> bool {
                #is_retryable
            }

            #from_response

            /// The error this one wraps: it gives the message, and is the source.
            fn inner(&self) -> &(dyn ::std::error::Error + 'static) {
                match self {
                    #(#inners)*
                    #name::Unhandled(e) => e,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(self.inner(), f)
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                Some(self.inner())
            }
        }
    }
}
