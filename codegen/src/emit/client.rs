//! Emits `src/client.rs` (the `Client`, one async method per operation) and `src/client/fluent.rs`
//! (the fluent builder each method returns).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::runtime_paths::{
    BYTE_STREAM_BYTE_STREAM, CLIENT_CALL, CLIENT_CONFIG, CLIENT_RUNTIME, CLIENT_SERVICE_INFO, CLIENT_VALIDATION_MODE,
    CREDENTIALS_CREDENTIALS, CREDENTIALS_PROVIDE_CREDENTIALS, ENDPOINT_CONFIG_ACCOUNT_ID_ENDPOINT_MODE,
    ENDPOINT_CONFIG_HOST_PREFIX, ENDPOINT_CONFIG_HOST_PREFIX_PART, ENDPOINT_CONFIG_RESOLVE_ENDPOINT,
    ENDPOINT_RESOLVER_RULES_ENDPOINTS, GZIP_COMPRESS_REQUEST, HTTP_HTTP_CLIENT, PARTITIONS_AWS_PARTITIONS_JSON,
    RETRY_RETRY_CONFIG, VALIDATE_VALIDATE,
};
use super::tokens::{
    deprecated_attr, doc, doc_attrs, doc_block, ident, lit_str, member_doc_attrs, prefixed, rust_type_with, StdNames,
};
use super::RustFile;
use crate::ir::{
    CallParamValue, EndpointResolution, Field, HostPrefixPart, InputLeaf, InputStep, Operation, Presence, Service,
    TyKind,
};
use crate::naming::unraw;
use crate::rules::endpoint::ParamValue;

/// The whole `client` module.
pub fn emit(service: &Service) -> RustFile {
    let endpoint_prefix = &service.endpoint_prefix;
    let signing_name = &service.signing_name;
    let target_prefix = &service.target_prefix;
    let content_type = service.content_type();
    // The AWS SDKs' rule: the SDK ID with spaces as underscores, upper-cased, and no other word
    // splitting (`CodePipeline` is `CODEPIPELINE`, not `CODE_PIPELINE`).
    let env_suffix = service.sdk_id.replace(' ', "_").to_ascii_uppercase();
    let methods = service.operations.iter().map(|op| operation_methods(service, op));
    let (endpoint_rules, rules_items) = match &service.endpoint {
        EndpointResolution::Rules(_) => (
            quote!(::std::option::Option::Some(endpoint_rules)),
            quote! {
                /// The service's endpoint rules, embedded as data (`src/endpoint_rules.json`), and the
                /// runtime's partition table, parsed on first use.
                pub static ENDPOINT_RULES: #ENDPOINT_RESOLVER_RULES_ENDPOINTS =
                    #ENDPOINT_RESOLVER_RULES_ENDPOINTS::new(
                        include_str!("endpoint_rules.json"),
                        #PARTITIONS_AWS_PARTITIONS_JSON,
                    );

                fn endpoint_rules() -> &'static dyn #ENDPOINT_CONFIG_RESOLVE_ENDPOINT {
                    &ENDPOINT_RULES
                }
            },
        ),
        EndpointResolution::Pattern | EndpointResolution::Unsupported { .. } => {
            (quote!(::std::option::Option::None), TokenStream::new())
        }
    };
    let query_compatible = service.query_compatible;
    let sdk_id = &service.sdk_id;
    let client_doc = format!(
        " A client for {sdk_id}.\n\n Cheap to clone: clones share one connection pool and configuration.\n\n{}",
        client_example(service)
    );
    let client_doc = doc_block(&client_doc);
    let mut file = RustFile::new(quote! {
        //! The client: configuration, one async method per operation, and fluent builders.
    });
    file.push(quote! {
        pub use #CLIENT_CONFIG;
        pub use #CLIENT_VALIDATION_MODE;
        pub use #CREDENTIALS_CREDENTIALS;
        pub use #CREDENTIALS_PROVIDE_CREDENTIALS;
        pub use #ENDPOINT_CONFIG_ACCOUNT_ID_ENDPOINT_MODE;
        pub use #HTTP_HTTP_CLIENT;
        pub use #RETRY_RETRY_CONFIG;

        /// Facts about the service that every request needs.
        pub const SERVICE: #CLIENT_SERVICE_INFO = #CLIENT_SERVICE_INFO {
            endpoint_prefix: #endpoint_prefix,
            signing_name: #signing_name,
            target_prefix: #target_prefix,
            content_type: #content_type,
            endpoint_env_suffix: #env_suffix,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            endpoint_rules: #endpoint_rules,
            query_compatible: #query_compatible,
        };

        #rules_items

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: ::std::sync::Arc<#CLIENT_RUNTIME>,
        }

        impl Client {
            /// A client from an explicit configuration; fails if the region, endpoint or credentials
            /// provider is missing or invalid.
            pub fn from_conf(config: Config) -> ::std::result::Result<Self, crate::error::ConfigError> {
                let runtime = #CLIENT_RUNTIME::new(SERVICE, config)?;
                ::std::result::Result::Ok(Client { runtime: ::std::sync::Arc::new(runtime) })
            }

            /// A client configured from the environment (see [`Config::from_env`]).
            pub fn from_env() -> ::std::result::Result<Self, crate::error::ConfigError> {
                Client::from_conf(Config::from_env(&SERVICE))
            }

            /// A configuration read from the environment, to adjust before [`Client::from_conf`].
            pub fn config_from_env() -> Config {
                Config::from_env(&SERVICE)
            }

            /// The configured region; requests are signed for it unless the endpoint's rules name another.
            pub fn region(&self) -> &str {
                self.runtime.region()
            }

            #(#methods)*
        }

        pub mod fluent;
    });
    file
}

/// The `client::fluent` module: the builder each operation method returns.
pub fn emit_fluent(service: &Service) -> RustFile {
    RustFile {
        attrs: quote! {
            //! Fluent builders returned by the [`Client`](super::Client)'s operation methods.
        },
        items: service.operations.iter().map(|op| fluent_builder(service, op)).collect(),
    }
}

/// The `# Examples` section of the `Client` docs: configuration, then a fluent call of the first
/// operation with its required string members set, as a doc test that compiles but does not run.
fn client_example(service: &Service) -> String {
    let krate = service.crate_name.replace('-', "_");
    let mut call = String::new();
    if let Some(op) = service.operations.first() {
        call.push_str(&format!(" let output = client\n     .{}()\n", unraw(&op.fn_name)));
        for field in &service.structure(&op.input).fields {
            if field.presence == Presence::Required && matches!(field.ty.kind, TyKind::String) {
                call.push_str(&format!("     .{}(\"example\")\n", field.rust_name));
            }
        }
        call.push_str("     .send()\n     .await?;\n println!(\"{output:?}\");\n");
    }
    format!(
        " # Examples\n\n\
         \x20```no_run\n\
         \x20use {krate}::client::{{Client, Config, Credentials, RetryConfig}};\n\n\
         \x20# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         \x20// Region, endpoint and credentials from the environment, as the AWS CLI reads them:\n\
         \x20let client = Client::from_env()?;\n\n\
         \x20// Or set explicitly:\n\
         \x20let config = Config::builder()\n\
         \x20    .region(\"us-east-1\")\n\
         \x20    .credentials_provider(Credentials::new(\"AKIDEXAMPLE\", \"SECRET\", None))\n\
         \x20    .retry_config(RetryConfig::standard().with_max_attempts(5));\n\
         \x20let client = Client::from_conf(config)?;\n\n\
         {call}\
         \x20# Ok(())\n\
         \x20# }}\n\
         \x20```"
    )
}

/// The `Client` methods of one operation: the fluent entry point and the call with a complete input.
fn operation_methods(service: &Service, op: &Operation) -> TokenStream {
    let fn_name = ident(&op.fn_name);
    let call_name = prefixed("call_", &op.fn_name);
    let input = ident(&op.input);
    let output = ident(&op.output);
    let error = ident(&op.error_name);
    let fluent = format_ident!("{}Fluent", unraw(&op.name));
    let wire = lit_str(&op.name);
    let ser = prefixed("body_", &op.fn_name);
    let docs = doc_attrs(op.docs.as_deref(), &format!("Calls `{}`.", op.name));
    let deprecated = deprecated_attr(op.deprecated.as_ref());
    let call_doc = format!(
        " Calls `{}` with a complete input.\n\n The input is validated first (unless the client's [`ValidationMode`] says otherwise); an invalid input returns [`SdkError::Validation`](crate::error::SdkError::Validation) and nothing is sent.",
        op.name
    );
    let call_doc = doc_block(&call_doc);
    // A streaming input or output goes through the runtime's streaming pipeline (see `Streams`).
    let streams = Streams::of(service, op);
    let fill_tokens = fill_idempotency_tokens(service, op);
    // Filling tokens already made `input` mutable.
    let mutable_input = if fill_tokens.is_empty() { quote!(let mut input = input;) } else { TokenStream::new() };
    // awsJson sends the input as one JSON body; restJson1 spreads it over the request by its
    // bindings (`emit::rest_request`), which may also find it unsendable.
    let serialized = match &op.http {
        None => quote! { let body = crate::ser::#ser(&input); },
        Some(_) if streams.input => {
            let request = super::rest_request::request_fn_name(op);
            quote! {
                #mutable_input
                let (call, body) = crate::ser::#request(&mut input, call).map_err(crate::error::SdkError::Validation)?;
            }
        }
        Some(_) => {
            let request = super::rest_request::request_fn_name(op);
            quote! {
                let (call, body) = crate::ser::#request(&input, call).map_err(crate::error::SdkError::Validation)?;
            }
        }
    };
    let body = match op.request_compression {
        // A stream is sent as it is read; Smithy compresses only bodies held whole.
        _ if streams.input => serialized,
        None => serialized,
        // The only encoding the crates support; `ir::RequestCompression` names any other.
        // A minimum size out of range fails the call here, before anything is sent (see the
        // `request_compression` runtime module).
        Some(crate::ir::RequestCompression::Gzip) => quote! {
            let compression = self.runtime.request_compression().map_err(crate::error::SdkError::Config)?;
            #serialized
            let body = #GZIP_COMPRESS_REQUEST(compression, body);
        },
    };
    let call = call_setup(op, &wire);
    // restJson1 errors bind members to headers, and its outputs to the status and headers too.
    let send_and_read = match &op.http {
        None => quote! {
            let response = self
                .runtime
                .invoke(call, body, crate::error::#error::from_response, crate::error::#error::is_retryable)
                .await?;
            crate::de::#ser(&response.body)
        },
        Some(_) if streams.any() => {
            let read_error = super::rest_response::error_fn_name(op);
            let read = super::rest_response::response_fn_name(op);
            let body = if streams.input { quote!(body) } else { quote!(#BYTE_STREAM_BYTE_STREAM::from(body)) };
            let response = quote! {
                self
                    .runtime
                    .invoke_streaming(call, #body, crate::de::#read_error, crate::error::#error::is_retryable)
                    .await?
            };
            if streams.output {
                quote! {
                    let mut response = #response;
                    crate::de::#read(&mut response)
                }
            } else {
                // The output is read whole from a body held to the client's limits.
                quote! {
                    let response = #response.into_raw().await?;
                    crate::de::#read(&response)
                }
            }
        }
        Some(_) => {
            let read_error = super::rest_response::error_fn_name(op);
            let read = super::rest_response::response_fn_name(op);
            quote! {
                let response = self
                    .runtime
                    .invoke_rest(call, body, crate::de::#read_error, crate::error::#error::is_retryable)
                    .await?;
                crate::de::#read(&response)
            }
        }
    };
    quote! {
        #docs
        ///
        /// Set the input's members on the returned builder, then `.send().await`.
        #deprecated
        pub fn #fn_name(&self) -> fluent::#fluent {
            fluent::#fluent::new(self.clone())
        }

        #call_doc
        #deprecated
        pub async fn #call_name(
            &self,
            input: crate::types::#input,
        ) -> ::std::result::Result<crate::types::#output, crate::error::SdkError<crate::error::#error>> {
            #fill_tokens
            if self.runtime.checks_constraints() {
                #VALIDATE_VALIDATE::validate(&input).map_err(crate::error::SdkError::Validation)?;
            }
            #call
            #body
            #send_and_read
                .map_err(|e| crate::error::SdkError::Response(response.unreadable(e)))
        }
    }
}

/// Fills the input's unset optional idempotency tokens from the client's provider, before the
/// input is checked; the token is made once per call, so the call's retries send the same one.
fn fill_idempotency_tokens(service: &Service, op: &Operation) -> TokenStream {
    let input = service.structure(&op.input);
    let fills: Vec<TokenStream> = input
        .fields
        .iter()
        .filter(|f| super::types::call_fills_token(input, f))
        .map(|f| {
            let field = ident(&f.rust_name);
            quote! {
                if input.#field.is_none() {
                    input.#field = ::std::option::Option::Some(
                        self.runtime.idempotency_token(|| ::uuid::Uuid::new_v4().to_string()),
                    );
                }
            }
        })
        .collect();
    if fills.is_empty() {
        return TokenStream::new();
    }
    quote! {
        let mut input = input;
        #(#fills)*
    }
}

/// Which sides of an operation stream: a restJson1 input or output with a `ByteStream` payload.
#[derive(Clone, Copy)]
pub(super) struct Streams {
    /// The input's payload is a stream.
    pub input: bool,
    /// The output's payload is a stream.
    pub output: bool,
}

impl Streams {
    pub fn of(service: &Service, op: &Operation) -> Streams {
        let streams =
            |name: &str| op.http.is_some() && super::common::stream_field(&service.structure(name).fields).is_some();
        Streams { input: streams(&op.input), output: streams(&op.output) }
    }

    pub fn any(self) -> bool {
        self.input || self.output
    }
}

/// `let call = ...;`: the pipeline's description of the call, with the endpoint parameters the input
/// gives and the host prefix, whose labels are checked here, before anything is sent.
fn call_setup(op: &Operation, wire: &proc_macro2::Literal) -> TokenStream {
    let call_type = quote!(#CLIENT_CALL);
    let statics = op.endpoint_params.iter().filter_map(|param| match &param.value {
        CallParamValue::Static(value) => {
            let name = lit_str(&param.name);
            let value = static_value(value);
            Some(quote!(.endpoint_param(#name, #value)))
        }
        CallParamValue::Input { .. } => None,
    });
    let from_input: Vec<TokenStream> = op
        .endpoint_params
        .iter()
        .filter_map(|param| match &param.value {
            CallParamValue::Input { steps, leaf, list, .. } => Some(input_param(&param.name, steps, *leaf, *list)),
            CallParamValue::Static(_) => None,
        })
        .collect();
    let binding = if from_input.is_empty() { quote!(let call) } else { quote!(let mut call) };
    let content_md5 = op.content_md5.then(|| quote!(.content_md5()));
    let mut tokens = quote! {
        #binding = #call_type::new(#wire) #(#statics)* #content_md5;
        #(#from_input)*
    };
    if let Some(prefix) = &op.host_prefix {
        let parts = prefix.parts.iter().map(|part| match part {
            HostPrefixPart::Literal(text) => {
                let text = lit_str(text);
                quote!(#ENDPOINT_CONFIG_HOST_PREFIX_PART::Text(#text))
            }
            HostPrefixPart::Label { member, field } => {
                let member = lit_str(member);
                let field = ident(field);
                quote!(#ENDPOINT_CONFIG_HOST_PREFIX_PART::Label { member: #member, value: &input.#field })
            }
        });
        tokens.extend(quote! {
            let call = if self.runtime.injects_host_prefix() {
                let prefix = #ENDPOINT_CONFIG_HOST_PREFIX(&[#(#parts),*])
                    .map_err(crate::error::SdkError::Validation)?;
                call.host_prefix(prefix)
            } else {
                call
            };
        });
    }
    tokens
}

/// A `smithy.rules#staticContextParams` value.
fn static_value(value: &ParamValue) -> TokenStream {
    match value {
        ParamValue::String(s) => quote!(#s),
        ParamValue::Bool(b) => quote!(#b),
        ParamValue::StringArray(items) => {
            quote!(::std::vec![#(::std::string::String::from(#items)),*])
        }
    }
}

/// Sets the endpoint parameter `name` from the input, following `steps`; a list parameter is set
/// when the path reaches at least one value, a single one when no member on the way is unset.
fn input_param(name: &str, steps: &[InputStep], leaf: InputLeaf, list: bool) -> TokenStream {
    let name = lit_str(name);
    let set = |value: TokenStream| {
        if list {
            quote!(values.push(#value);)
        } else {
            quote!(call = call.endpoint_param(#name, #value);)
        }
    };
    let body = walk(steps, quote!(input), false, 0, leaf, &set);
    if list {
        quote! {
            {
                let mut values: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
                #body
                if !values.is_empty() {
                    call = call.endpoint_param(#name, values);
                }
            }
        }
    } else {
        body
    }
}

/// The code that follows `steps` from `current` (a reference when `is_ref`) and hands each value
/// reached to `set`.
fn walk(
    steps: &[InputStep],
    current: TokenStream,
    is_ref: bool,
    depth: usize,
    leaf: InputLeaf,
    set: &dyn Fn(TokenStream) -> TokenStream,
) -> TokenStream {
    let Some((step, rest)) = steps.split_first() else {
        let value = match leaf {
            InputLeaf::String | InputLeaf::Enum => quote!(#current.as_str().to_owned()),
            InputLeaf::Bool if is_ref => quote!(*#current),
            InputLeaf::Bool => current,
        };
        return set(value);
    };
    let next = format_ident!("v{depth}");
    match step {
        InputStep::Field { field, optional, boxed } => {
            let field = ident(field);
            match (optional, boxed) {
                (true, boxed) => {
                    let access = if *boxed { quote!(as_deref) } else { quote!(as_ref) };
                    let inner = walk(rest, quote!(#next), true, depth + 1, leaf, set);
                    quote! {
                        if let ::std::option::Option::Some(#next) = #current.#field.#access() {
                            #inner
                        }
                    }
                }
                (false, true) => walk(rest, quote!((*#current.#field)), false, depth, leaf, set),
                (false, false) => walk(rest, quote!(#current.#field), false, depth, leaf, set),
            }
        }
        InputStep::Each { sparse } => {
            let items = if *sparse { quote!(#current.iter().flatten()) } else { quote!(#current.iter()) };
            let inner = walk(rest, quote!(#next), true, depth + 1, leaf, set);
            quote! {
                for #next in #items {
                    #inner
                }
            }
        }
        InputStep::Keys => {
            let inner = walk(rest, quote!(#next), true, depth + 1, leaf, set);
            quote! {
                for #next in #current.keys() {
                    #inner
                }
            }
        }
    }
}

/// The fluent builder one operation method returns: a setter pair per input member, then `send`.
fn fluent_builder(service: &Service, op: &Operation) -> TokenStream {
    let fluent = format_ident!("{}Fluent", unraw(&op.name));
    let input = ident(&op.input);
    let output = ident(&op.output);
    let error = ident(&op.error_name);
    let builder = format_ident!("{}Builder", unraw(&op.input));
    let call_name = prefixed("call_", &op.fn_name);
    let fields = &service.structure(&op.input).fields;
    let setters = fields.iter().map(fluent_setter);
    let method = unraw(&op.fn_name);
    let into_paginator = op.paginator.as_ref().map(|_| {
        let paginator = format_ident!("{}Paginator", unraw(&op.name));
        quote! {
            /// A paginator over this operation's pages, starting from the input set so far.
            pub fn into_paginator(self) -> crate::paginators::#paginator {
                crate::paginators::#paginator::new(self.client, self.inner)
            }
        }
    });
    let doc_line = doc(&format!(
        "Builds and sends a `{}` request; see [`Client::{method}`](crate::client::Client::{method}).",
        op.name
    ));
    // A builder holding a stream cannot be copied (the stream is read once).
    let derive =
        if Streams::of(service, op).input { quote!(#[derive(Debug)]) } else { quote!(#[derive(Debug, Clone)]) };
    quote! {
        #doc_line
        #derive
        pub struct #fluent {
            client: super::Client,
            inner: crate::types::builders::#builder,
        }

        impl #fluent {
            pub(crate) fn new(client: super::Client) -> Self {
                #fluent { client, inner: Default::default() }
            }

            #(#setters)*

            /// The input as set so far.
            pub fn as_input(&self) -> &crate::types::builders::#builder {
                &self.inner
            }

            #into_paginator

            /// Builds the input and sends the request. A missing required member fails with
            /// [`SdkError::Validation`](crate::error::SdkError::Validation) before anything is sent.
            pub async fn send(self) -> Result<crate::types::#output, crate::error::SdkError<crate::error::#error>> {
                let input: crate::types::#input = self.inner.build().map_err(crate::error::SdkError::Validation)?;
                self.client.#call_name(input).await
            }
        }
    }
}

/// A member's setters on a fluent builder: one taking the value, one taking an `Option`. Waiter
/// builders (`waiters.rs`) have the same.
pub(super) fn fluent_setter(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let set_name = prefixed("set_", &field.rust_name);
    let ty = rust_type_with(&field.ty, StdNames::Prelude);
    let docs = member_doc_attrs(field, &format!("Sets `{}`.", field.wire_name));
    let set_doc = doc(&format!("Sets or clears `{}`.", field.wire_name));
    let param = match &field.ty.kind {
        TyKind::String => quote!(impl Into<String>),
        TyKind::ByteStream => quote!(impl Into<crate::ByteStream>),
        _ => ty.clone(),
    };
    let deprecated = deprecated_attr(field.deprecated.as_ref());
    quote! {
        #docs
        #deprecated
        pub fn #name(mut self, value: #param) -> Self {
            self.inner = self.inner.#name(value);
            self
        }

        #set_doc
        #deprecated
        pub fn #set_name(mut self, value: Option<#ty>) -> Self {
            self.inner = self.inner.#set_name(value);
            self
        }
    }
}
