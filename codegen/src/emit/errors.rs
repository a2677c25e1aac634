//! Emits `src/error.rs`: one error enum per operation, with a variant per modeled error.

use super::common::fn_suffix;
use super::text::{allow_deprecated, code, doc_comment, str_lit};
use crate::ir::{Operation, Service, TypeDefKind};

/// The whole `error` module.
pub fn emit(service: &Service) -> String {
    let mut out = String::with_capacity(64 * 1024);
    code!(
        out,
        "//! Errors: one enum per operation, plus what every call can fail with.
        {allow_deprecated}
        pub use crate::runtime::error::{{ConfigError, ErrorMetadata, ResponseError, SdkError, ServiceError, TimeoutError, UnhandledError}};
        pub use crate::runtime::json::DeserializeError;
        pub use crate::runtime::validate::{{LengthUnit, ValidationError, Violation, ViolationKind}};",
        allow_deprecated = allow_deprecated(service),
    );
    for op in &service.operations {
        operation_error(&mut out, service, op);
    }
    out
}

fn operation_error(out: &mut String, service: &Service, op: &Operation) {
    let name = &op.error_name;
    let mut variants = String::new();
    let mut displays = String::new();
    let mut sources = String::new();
    let mut codes = String::new();
    let mut parses = String::new();
    let mut retryables = String::new();
    for error in &op.errors {
        let Some(def) = service.type_def(error) else { continue };
        let TypeDefKind::Structure(s) = &def.kind else { continue };
        let Some(info) = &s.error else { continue };
        doc_comment(&mut variants, def.docs.as_deref(), &format!("The service's `{}` error.", info.code));
        code!(variants, "{error}(crate::types::{error}),");
        code!(displays, "{name}::{error}(e) => ::std::fmt::Display::fmt(e, f),");
        code!(sources, "{name}::{error}(e) => ::std::option::Option::Some(e),");
        let code = str_lit(&info.code);
        code!(codes, "{name}::{error}(_) => ::std::option::Option::Some({code}),");
        code!(
            parses,
            "::std::option::Option::Some({code}) => match crate::de::de_{suffix}(body) {{
                ::std::result::Result::Ok(error) => {name}::{error}(error),
                ::std::result::Result::Err(_) => {name}::Unhandled(crate::runtime::error::UnhandledError::new(meta.clone())),
            }},",
            suffix = fn_suffix(error),
        );
        code!(retryables, "{name}::{error}(_) => {},", info.retryable.is_some());
    }
    let parse_body = if parses.is_empty() {
        format!("let _ = body;\n{name}::Unhandled(crate::runtime::error::UnhandledError::new(meta.clone()))")
    } else {
        format!(
            "match meta.code() {{
                {parses}
                _ => {name}::Unhandled(crate::runtime::error::UnhandledError::new(meta.clone())),
            }}"
        )
    };
    code!(
        out,
        "/// Errors the service may answer a call to `{op_name}` with.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum {name} {{
            {variants}
            /// An error the model does not list for this operation; its code and message are kept.
            Unhandled(crate::runtime::error::UnhandledError),
        }}

        impl {name} {{
            /// The error code on the wire (a modeled error's shape name), if known.
            pub fn code(&self) -> ::std::option::Option<&str> {{
                match self {{
                    {codes}
                    {name}::Unhandled(e) => e.meta().code(),
                }}
            }}

            /// Whether the model marks this error `@retryable`.
            pub fn is_retryable(&self) -> bool {{
                match self {{
                    {retryables}
                    {name}::Unhandled(_) => false,
                }}
            }}

            /// Builds the error from a response's metadata and parsed body (`{{}}` when it was not JSON).
            pub(crate) fn from_response(meta: &crate::runtime::error::ErrorMetadata, body: &::serde_json::Value) -> Self {{
                {parse_body}
            }}
        }}

        impl ::std::fmt::Display for {name} {{
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{
                match self {{
                    {displays}
                    {name}::Unhandled(e) => ::std::fmt::Display::fmt(e, f),
                }}
            }}
        }}

        impl ::std::error::Error for {name} {{
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {{
                match self {{
                    {sources}
                    {name}::Unhandled(e) => ::std::option::Option::Some(e),
                }}
            }}
        }}",
        op_name = op.name,
    );
}
