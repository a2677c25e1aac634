//! Emits `src/client.rs`: the `Client`, one async method per operation, and fluent builders.

use super::text::{code, deprecated_attr, doc_block, doc_comment, rust_type, str_lit};
use crate::ir::{Field, Operation, Presence, Service, TyKind};
use crate::naming::unraw;

/// The whole `client` module.
pub fn emit(service: &Service) -> String {
    let mut out = String::with_capacity(256 * 1024);
    // The AWS SDKs' rule: the SDK ID with spaces as underscores, upper-cased, and no other word
    // splitting (`CodePipeline` is `CODEPIPELINE`, not `CODE_PIPELINE`).
    let env_suffix = service.sdk_id.replace(' ', "_").to_ascii_uppercase();
    code!(
        out,
        "//! The client: configuration, one async method per operation, and fluent builders.
        pub use crate::runtime::client::{{Config, ValidationMode}};
        pub use crate::runtime::credentials::{{Credentials, ProvideCredentials}};
        pub use crate::runtime::http::HttpClient;
        pub use crate::runtime::retry::RetryConfig;

        /// Facts about the service that every request needs.
        pub const SERVICE: crate::runtime::client::ServiceInfo = crate::runtime::client::ServiceInfo {{
            endpoint_prefix: {endpoint_prefix},
            signing_name: {signing_name},
            target_prefix: {target_prefix},
            content_type: {content_type},
            endpoint_env_suffix: {env_suffix},
            user_agent: concat!(env!(\"CARGO_PKG_NAME\"), \"/\", env!(\"CARGO_PKG_VERSION\")),
        }};

        /// A client for {sdk_id}.
        ///
        /// Cheap to clone: clones share one connection pool and configuration.
        ///",
        endpoint_prefix = str_lit(&service.endpoint_prefix),
        signing_name = str_lit(&service.signing_name),
        target_prefix = str_lit(&service.target_prefix),
        content_type = str_lit(service.content_type()),
        env_suffix = str_lit(&env_suffix),
        sdk_id = service.sdk_id,
    );
    doc_block(&mut out, &client_example(service));
    code!(
        out,
        "#[derive(Debug, Clone)]
        pub struct Client {{
            runtime: ::std::sync::Arc<crate::runtime::client::Runtime>,
        }}

        impl Client {{
            /// A client from an explicit configuration; fails if the region, endpoint or credentials
            /// provider is missing or invalid.
            pub fn from_conf(config: Config) -> ::std::result::Result<Self, crate::error::ConfigError> {{
                let runtime = crate::runtime::client::Runtime::new(SERVICE, config)?;
                ::std::result::Result::Ok(Client {{ runtime: ::std::sync::Arc::new(runtime) }})
            }}

            /// A client configured from the environment (see [`Config::from_env`]).
            pub fn from_env() -> ::std::result::Result<Self, crate::error::ConfigError> {{
                Client::from_conf(Config::from_env(&SERVICE))
            }}

            /// A configuration read from the environment, to adjust before [`Client::from_conf`].
            pub fn config_from_env() -> Config {{
                Config::from_env(&SERVICE)
            }}

            /// The region requests are signed for.
            pub fn region(&self) -> &str {{
                self.runtime.region()
            }}"
    );
    for op in &service.operations {
        operation_methods(&mut out, op);
    }
    code!(
        out,
        "}}

        /// Fluent builders returned by the [`Client`]'s operation methods.
        pub mod fluent {{"
    );
    for op in &service.operations {
        fluent_builder(&mut out, service, op);
    }
    code!(out, "}}");
    out
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
fn operation_methods(out: &mut String, op: &Operation) {
    let name = unraw(&op.fn_name);
    let fluent = format!("{}Fluent", unraw(&op.name));
    let deprecated = deprecated_attr(op.deprecated.as_ref());
    doc_comment(out, op.docs.as_deref(), &format!("Calls `{}`.", op.name));
    code!(
        out,
        "///
        /// Set the input's members on the returned builder, then `.send().await`.
        {deprecated}
        pub fn {fn_name}(&self) -> fluent::{fluent} {{
            fluent::{fluent}::new(self.clone())
        }}

        /// Calls `{op_name}` with a complete input.
        ///
        /// The input is validated first (unless the client's [`ValidationMode`] says otherwise); an invalid input returns [`SdkError::Validation`](crate::error::SdkError::Validation) and nothing is sent.
        {deprecated}
        pub async fn call_{name}(
            &self,
            input: crate::types::{input},
        ) -> ::std::result::Result<crate::types::{output}, crate::error::SdkError<crate::error::{error}>> {{
            if self.runtime.checks_constraints() {{
                crate::runtime::validate::Validate::validate(&input).map_err(crate::error::SdkError::Validation)?;
            }}
            let body = crate::ser::body_{name}(&input);
            let response = self
                .runtime
                .invoke({wire}, body, crate::error::{error}::from_response, crate::error::{error}::is_retryable)
                .await?;
            crate::de::body_{name}(&response.body)
                .map_err(|e| crate::error::SdkError::Response(response.unreadable(e)))
        }}",
        fn_name = op.fn_name,
        op_name = op.name,
        input = op.input,
        output = op.output,
        error = op.error_name,
        wire = str_lit(&op.name),
    );
}

/// The fluent builder one operation method returns: a setter pair per input member, then `send`.
fn fluent_builder(out: &mut String, service: &Service, op: &Operation) {
    let fluent = format!("{}Fluent", unraw(&op.name));
    let builder = format!("{}Builder", unraw(&op.input));
    let name = unraw(&op.fn_name);
    code!(
        out,
        "/// Builds and sends a `{op_name}` request; see [`Client::{name}`](crate::client::Client::{name}).
        #[derive(Debug, Clone)]
        pub struct {fluent} {{
            client: super::Client,
            inner: crate::types::builders::{builder},
        }}

        impl {fluent} {{
            pub(crate) fn new(client: super::Client) -> Self {{
                {fluent} {{ client, inner: ::std::default::Default::default() }}
            }}",
        op_name = op.name,
    );
    for field in &service.structure(&op.input).fields {
        fluent_setter(out, field);
    }
    code!(
        out,
        "    /// The input as set so far.
            pub fn as_input(&self) -> &crate::types::builders::{builder} {{
                &self.inner
            }}

            /// Builds the input and sends the request. A missing required member fails with
            /// [`SdkError::Validation`](crate::error::SdkError::Validation) before anything is sent.
            pub async fn send(self) -> ::std::result::Result<crate::types::{output}, crate::error::SdkError<crate::error::{error}>> {{
                let input: crate::types::{input} = self.inner.build().map_err(crate::error::SdkError::Validation)?;
                self.client.call_{name}(input).await
            }}
        }}",
        output = op.output,
        error = op.error_name,
        input = op.input,
    );
}

/// A member's setters on a fluent builder: one taking the value, one taking an `Option`.
fn fluent_setter(out: &mut String, field: &Field) {
    let name = &field.rust_name;
    let set_name = unraw(&field.rust_name);
    let ty = rust_type(&field.ty);
    let param = match &field.ty.kind {
        TyKind::String => "impl ::std::convert::Into<::std::string::String>",
        _ => &ty,
    };
    let deprecated = deprecated_attr(field.deprecated.as_ref());
    doc_comment(out, field.docs.as_deref(), &format!("Sets `{}`.", field.wire_name));
    code!(
        out,
        "{deprecated}
        pub fn {name}(mut self, value: {param}) -> Self {{
            self.inner = self.inner.{name}(value);
            self
        }}

        /// Sets or clears `{wire}`.
        {deprecated}
        pub fn set_{set_name}(mut self, value: ::std::option::Option<{ty}>) -> Self {{
            self.inner = self.inner.set_{set_name}(value);
            self
        }}",
        wire = field.wire_name,
    );
}
