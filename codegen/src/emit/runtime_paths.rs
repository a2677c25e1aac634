//! Every item of the runtime crate that generated code names, in one table.
//!
//! Generated code reaches the runtime through one path, `crate::runtime` (the crate root re-exports
//! `smithy_lite_runtime` under that name; see `lib_rs.rs`). The emitters never spell a runtime path
//! themselves: they interpolate these constants (`quote!(#JSON_OBJECT(value))`), so the runtime's
//! layout is written down here once, and an item that moves or is renamed is one line to change.

use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream};
use quote::{quote, ToTokens, TokenStreamExt};

use super::tokens::ident;
use crate::pattern::Engine;

/// An item of the runtime crate, by its path inside the crate (`json::object`). Interpolated into
/// tokens, it is `crate::runtime::json::object`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RuntimeItem(&'static str);

impl RuntimeItem {
    /// The item as code outside the generated crate names it (its integration tests):
    /// `::krate::runtime::json::object`.
    pub fn through(self, krate: &Ident) -> TokenStream {
        let segments = self.segments();
        quote!(::#krate::runtime #(::#segments)*)
    }

    /// The item as the generated crate's root names it, beside its `runtime` re-export:
    /// `runtime::json::object`.
    pub fn in_crate_root(self) -> TokenStream {
        let segments = self.segments();
        quote!(runtime #(::#segments)*)
    }

    fn segments(self) -> impl Iterator<Item = Ident> {
        self.0.split("::").map(ident)
    }
}

impl ToTokens for RuntimeItem {
    /// Appends `crate::runtime::...` token by token: generated code names runtime items tens of
    /// thousands of times for a large model, and a `quote!` per use would build and copy a stream each time.
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append(Ident::new("crate", Span::call_site()));
        for segment in std::iter::once("runtime").chain(self.0.split("::")) {
            tokens.append(Punct::new(':', Spacing::Joint));
            tokens.append(Punct::new(':', Spacing::Alone));
            tokens.append(ident(segment));
        }
    }
}

/// The `Pattern` type of the runtime's module for `engine` (each engine has its own, behind its own
/// Cargo feature).
pub(crate) fn pattern_type(engine: Engine) -> RuntimeItem {
    match engine {
        Engine::RegexLite => RuntimeItem("pattern_regex_lite::pattern::Pattern"),
        Engine::Regex => RuntimeItem("pattern_regex::pattern::Pattern"),
        Engine::FancyRegex => RuntimeItem("pattern_fancy_regex::pattern::Pattern"),
    }
}

/// The interface version generated code asserts (`runtime_crate::GENERATED_CODE_VERSION`).
pub(crate) const GENERATED_CODE_VERSION: RuntimeItem = RuntimeItem("GENERATED_CODE_VERSION");

// `big_number`
pub(crate) const BIG_NUMBER_BIG_DECIMAL: RuntimeItem = RuntimeItem("big_number::BigDecimal");
pub(crate) const BIG_NUMBER_BIG_INTEGER: RuntimeItem = RuntimeItem("big_number::BigInteger");
pub(crate) const BIG_NUMBER_BIG_NUMBER_ERROR: RuntimeItem = RuntimeItem("big_number::BigNumberError");
pub(crate) const BIG_NUMBER_READ_DECIMAL: RuntimeItem = RuntimeItem("big_number::read_decimal");
pub(crate) const BIG_NUMBER_READ_INTEGER: RuntimeItem = RuntimeItem("big_number::read_integer");

// `byte_stream`
pub(crate) const BYTE_STREAM_BYTE_STREAM: RuntimeItem = RuntimeItem("byte_stream::ByteStream");
pub(crate) const BYTE_STREAM_BYTE_STREAM_ERROR: RuntimeItem = RuntimeItem("byte_stream::ByteStreamError");

// `blob`
pub(crate) const BLOB_BLOB: RuntimeItem = RuntimeItem("blob::Blob");
pub(crate) const BLOB_READ: RuntimeItem = RuntimeItem("blob::read");
pub(crate) const BLOB_READ_JSON: RuntimeItem = RuntimeItem("blob::read_json");
pub(crate) const BLOB_WRITE: RuntimeItem = RuntimeItem("blob::write");

// `cli_app`
pub(crate) const CLI_APP_BLOCK_ON: RuntimeItem = RuntimeItem("cli_app::block_on");
pub(crate) const CLI_APP_CONFIG: RuntimeItem = RuntimeItem("cli_app::config");
pub(crate) const CLI_APP_FAILURE: RuntimeItem = RuntimeItem("cli_app::Failure");
pub(crate) const CLI_APP_FLAG: RuntimeItem = RuntimeItem("cli_app::flag");
pub(crate) const CLI_APP_INPUT_DOCUMENT: RuntimeItem = RuntimeItem("cli_app::input_document");
pub(crate) const CLI_APP_INPUT_OPTIONS: RuntimeItem = RuntimeItem("cli_app::INPUT_OPTIONS");
pub(crate) const CLI_APP_OPTION: RuntimeItem = RuntimeItem("cli_app::option");
pub(crate) const CLI_APP_OPTION_KIND: RuntimeItem = RuntimeItem("cli_app::OptionKind");
pub(crate) const CLI_APP_OUTCOME: RuntimeItem = RuntimeItem("cli_app::Outcome");
pub(crate) const CLI_APP_RUN: RuntimeItem = RuntimeItem("cli_app::run");
pub(crate) const CLI_APP_SKELETON: RuntimeItem = RuntimeItem("cli_app::Skeleton");
/// `cli_app::skeleton`, the function (beside the type `Skeleton`).
pub(crate) const CLI_APP_SKELETON_FN: RuntimeItem = RuntimeItem("cli_app::skeleton");
pub(crate) const CLI_APP_WITH_GLOBAL_OPTIONS: RuntimeItem = RuntimeItem("cli_app::with_global_options");
pub(crate) const CLI_APP_WITH_INPUT_OPTIONS: RuntimeItem = RuntimeItem("cli_app::with_input_options");
pub(crate) const CLI_APP_WRITE_STREAM: RuntimeItem = RuntimeItem("cli_app::write_stream");

// `cli_input`
pub(crate) const CLI_INPUT_BOOLEAN: RuntimeItem = RuntimeItem("cli_input::boolean");
pub(crate) const CLI_INPUT_FLOAT: RuntimeItem = RuntimeItem("cli_input::float");
pub(crate) const CLI_INPUT_INPUT_ERROR: RuntimeItem = RuntimeItem("cli_input::InputError");
pub(crate) const CLI_INPUT_INTEGER: RuntimeItem = RuntimeItem("cli_input::integer");
pub(crate) const CLI_INPUT_LIST: RuntimeItem = RuntimeItem("cli_input::list");
pub(crate) const CLI_INPUT_MAP: RuntimeItem = RuntimeItem("cli_input::map");
pub(crate) const CLI_INPUT_MISSING_MEMBERS: RuntimeItem = RuntimeItem("cli_input::missing_members");
pub(crate) const CLI_INPUT_OBJECT: RuntimeItem = RuntimeItem("cli_input::object");
pub(crate) const CLI_INPUT_OPTIONAL: RuntimeItem = RuntimeItem("cli_input::optional");
pub(crate) const CLI_INPUT_SOURCE: RuntimeItem = RuntimeItem("cli_input::Source");
pub(crate) const CLI_INPUT_SPARSE_LIST: RuntimeItem = RuntimeItem("cli_input::sparse_list");
pub(crate) const CLI_INPUT_SPARSE_MAP: RuntimeItem = RuntimeItem("cli_input::sparse_map");
pub(crate) const CLI_INPUT_STREAM_FILE: RuntimeItem = RuntimeItem("cli_input::stream_file");
pub(crate) const CLI_INPUT_STRING: RuntimeItem = RuntimeItem("cli_input::string");
pub(crate) const CLI_INPUT_TEXT_OR_NUMBER: RuntimeItem = RuntimeItem("cli_input::text_or_number");
pub(crate) const CLI_INPUT_TIMESTAMP: RuntimeItem = RuntimeItem("cli_input::timestamp");
pub(crate) const CLI_INPUT_UNION_MEMBER: RuntimeItem = RuntimeItem("cli_input::union_member");
pub(crate) const CLI_INPUT_UNKNOWN_MEMBER: RuntimeItem = RuntimeItem("cli_input::unknown_member");

// `client`
pub(crate) const CLIENT_CALL: RuntimeItem = RuntimeItem("client::Call");
pub(crate) const CLIENT_CONFIG: RuntimeItem = RuntimeItem("client::Config");
pub(crate) const CLIENT_RAW_RESPONSE: RuntimeItem = RuntimeItem("client::RawResponse");
pub(crate) const CLIENT_STREAMING_RESPONSE: RuntimeItem = RuntimeItem("client::StreamingResponse");
pub(crate) const CLIENT_RUNTIME: RuntimeItem = RuntimeItem("client::Runtime");
pub(crate) const CLIENT_SERVICE_INFO: RuntimeItem = RuntimeItem("client::ServiceInfo");
pub(crate) const CLIENT_VALIDATION_MODE: RuntimeItem = RuntimeItem("client::ValidationMode");

// `credentials`
pub(crate) const CREDENTIALS_CREDENTIALS: RuntimeItem = RuntimeItem("credentials::Credentials");
pub(crate) const CREDENTIALS_PROVIDE_CREDENTIALS: RuntimeItem = RuntimeItem("credentials::ProvideCredentials");

// `datetime`
pub(crate) const DATETIME_DATE_TIME: RuntimeItem = RuntimeItem("datetime::DateTime");
pub(crate) const DATETIME_DATE_TIME_ERROR: RuntimeItem = RuntimeItem("datetime::DateTimeError");

// `endpoint`
pub(crate) const ENDPOINT_ENDPOINT: RuntimeItem = RuntimeItem("endpoint::Endpoint");
pub(crate) const ENDPOINT_PARAMS: RuntimeItem = RuntimeItem("endpoint::Params");
pub(crate) const ENDPOINT_PARAM_VALUE: RuntimeItem = RuntimeItem("endpoint::ParamValue");
pub(crate) const ENDPOINT_RESOLVE_ERROR: RuntimeItem = RuntimeItem("endpoint::ResolveError");

// `endpoint_config`
pub(crate) const ENDPOINT_CONFIG_ACCOUNT_ID_ENDPOINT_MODE: RuntimeItem =
    RuntimeItem("endpoint_config::AccountIdEndpointMode");
pub(crate) const ENDPOINT_CONFIG_ENDPOINT_VALUE: RuntimeItem = RuntimeItem("endpoint_config::EndpointValue");
pub(crate) const ENDPOINT_CONFIG_HOST_PREFIX: RuntimeItem = RuntimeItem("endpoint_config::host_prefix");
pub(crate) const ENDPOINT_CONFIG_HOST_PREFIX_PART: RuntimeItem = RuntimeItem("endpoint_config::HostPrefixPart");
pub(crate) const ENDPOINT_CONFIG_RESOLVE_ENDPOINT: RuntimeItem = RuntimeItem("endpoint_config::ResolveEndpoint");

// `endpoint_resolver`
pub(crate) const ENDPOINT_RESOLVER_RULES_ENDPOINTS: RuntimeItem = RuntimeItem("endpoint_resolver::RulesEndpoints");

// `error`
pub(crate) const ERROR_CONFIG_ERROR: RuntimeItem = RuntimeItem("error::ConfigError");
pub(crate) const ERROR_ERROR_METADATA: RuntimeItem = RuntimeItem("error::ErrorMetadata");
pub(crate) const ERROR_RESPONSE_ERROR: RuntimeItem = RuntimeItem("error::ResponseError");
pub(crate) const ERROR_SDK_ERROR: RuntimeItem = RuntimeItem("error::SdkError");
pub(crate) const ERROR_SERVICE_ERROR: RuntimeItem = RuntimeItem("error::ServiceError");
pub(crate) const ERROR_TIMEOUT_ERROR: RuntimeItem = RuntimeItem("error::TimeoutError");
pub(crate) const ERROR_UNHANDLED_ERROR: RuntimeItem = RuntimeItem("error::UnhandledError");

// `gzip`
pub(crate) const GZIP_COMPRESS_REQUEST: RuntimeItem = RuntimeItem("gzip::compress_request");

// `http`
pub(crate) const HTTP_HTTP_CLIENT: RuntimeItem = RuntimeItem("http::HttpClient");

// `json`
pub(crate) const JSON_BOOLEAN: RuntimeItem = RuntimeItem("json::boolean");
pub(crate) const JSON_DESERIALIZE_ERROR: RuntimeItem = RuntimeItem("json::DeserializeError");
pub(crate) const JSON_DOCUMENT: RuntimeItem = RuntimeItem("json::document");
pub(crate) const JSON_FLOAT: RuntimeItem = RuntimeItem("json::float");
pub(crate) const JSON_FROM_EMPTY_OBJECT: RuntimeItem = RuntimeItem("json::from_empty_object");
pub(crate) const JSON_INTEGER: RuntimeItem = RuntimeItem("json::integer");
pub(crate) const JSON_JSON_OBJECT_WRITER: RuntimeItem = RuntimeItem("json::JsonObjectWriter");
pub(crate) const JSON_LIST: RuntimeItem = RuntimeItem("json::list");
pub(crate) const JSON_MAP: RuntimeItem = RuntimeItem("json::map");
pub(crate) const JSON_OBJECT: RuntimeItem = RuntimeItem("json::object");
pub(crate) const JSON_OPTIONAL: RuntimeItem = RuntimeItem("json::optional");
pub(crate) const JSON_PARSE: RuntimeItem = RuntimeItem("json::parse");
pub(crate) const JSON_READER: RuntimeItem = RuntimeItem("json::JsonReader");
pub(crate) const JSON_READ_BODY: RuntimeItem = RuntimeItem("json::read_body");
pub(crate) const JSON_SKIP: RuntimeItem = RuntimeItem("json::skip");
pub(crate) const JSON_SPARSE_LIST: RuntimeItem = RuntimeItem("json::sparse_list");
pub(crate) const JSON_SPARSE_MAP: RuntimeItem = RuntimeItem("json::sparse_map");
pub(crate) const JSON_STRING: RuntimeItem = RuntimeItem("json::string");
pub(crate) const JSON_TEXT: RuntimeItem = RuntimeItem("json::text");
pub(crate) const JSON_UNION: RuntimeItem = RuntimeItem("json::union");
pub(crate) const JSON_UNIT: RuntimeItem = RuntimeItem("json::unit");

// `json_time`
pub(crate) const JSON_TIME_FORMAT: RuntimeItem = RuntimeItem("json_time::Format");
pub(crate) const JSON_TIME_READ: RuntimeItem = RuntimeItem("json_time::read");
pub(crate) const JSON_TIME_WRITE: RuntimeItem = RuntimeItem("json_time::write");

// `partitions`
pub(crate) const PARTITIONS_AWS_PARTITIONS_JSON: RuntimeItem = RuntimeItem("partitions::AWS_PARTITIONS_JSON");
pub(crate) const PARTITIONS_PARTITIONS: RuntimeItem = RuntimeItem("partitions::Partitions");

// `cli_paginate`
pub(crate) const CLI_PAGINATE_PAGER: RuntimeItem = RuntimeItem("cli_paginate::Pager");
pub(crate) const CLI_PAGINATE_PAGE_SIZE_GIVEN: RuntimeItem = RuntimeItem("cli_paginate::page_size_given");
pub(crate) const CLI_PAGINATE_PAGINATION: RuntimeItem = RuntimeItem("cli_paginate::Pagination");
pub(crate) const CLI_PAGINATE_PAGING: RuntimeItem = RuntimeItem("cli_paginate::paging");
pub(crate) const CLI_PAGINATE_TOKEN_KIND: RuntimeItem = RuntimeItem("cli_paginate::TokenKind");
pub(crate) const CLI_PAGINATE_WITH_PAGING_OPTIONS: RuntimeItem = RuntimeItem("cli_paginate::with_paging_options");

// `paginator`
pub(crate) const PAGINATOR_ITEMS: RuntimeItem = RuntimeItem("paginator::Items");
pub(crate) const PAGINATOR_OPERATION: RuntimeItem = RuntimeItem("paginator::Operation");
pub(crate) const PAGINATOR_PAGE_FUTURE: RuntimeItem = RuntimeItem("paginator::PageFuture");
pub(crate) const PAGINATOR_PAGES: RuntimeItem = RuntimeItem("paginator::Pages");

// `rest`
pub(crate) const REST_ENCODE_MEDIA_TYPE: RuntimeItem = RuntimeItem("rest::encode_media_type");
pub(crate) const REST_HEADER_BASE64: RuntimeItem = RuntimeItem("rest::header_base64");
pub(crate) const REST_HEADER_BOOL: RuntimeItem = RuntimeItem("rest::header_bool");
pub(crate) const REST_HEADER_FLOAT: RuntimeItem = RuntimeItem("rest::header_float");
pub(crate) const REST_HEADER_INTEGER: RuntimeItem = RuntimeItem("rest::header_integer");
pub(crate) const REST_HEADER_LIST: RuntimeItem = RuntimeItem("rest::header_list");
pub(crate) const REST_HEADER_MAP: RuntimeItem = RuntimeItem("rest::HeaderMap");
pub(crate) const REST_HEADER_MEDIA_TYPE: RuntimeItem = RuntimeItem("rest::header_media_type");
pub(crate) const REST_HEADER_STRING: RuntimeItem = RuntimeItem("rest::header_string");
pub(crate) const REST_HEADER_TIMESTAMP: RuntimeItem = RuntimeItem("rest::header_timestamp");
pub(crate) const REST_HEADER_TIMESTAMP_LIST: RuntimeItem = RuntimeItem("rest::header_timestamp_list");
pub(crate) const REST_JOIN_HEADER_LIST: RuntimeItem = RuntimeItem("rest::join_header_list");
pub(crate) const REST_PARSE_BOOL: RuntimeItem = RuntimeItem("rest::parse_bool");
pub(crate) const REST_PARSE_FLOAT: RuntimeItem = RuntimeItem("rest::parse_float");
pub(crate) const REST_PARSE_INTEGER: RuntimeItem = RuntimeItem("rest::parse_integer");
pub(crate) const REST_PARSE_STRING: RuntimeItem = RuntimeItem("rest::parse_string");
pub(crate) const REST_PAYLOAD_TEXT: RuntimeItem = RuntimeItem("rest::payload_text");
pub(crate) const REST_PREFIX_HEADERS: RuntimeItem = RuntimeItem("rest::prefix_headers");
pub(crate) const REST_READ_BODY: RuntimeItem = RuntimeItem("rest::read_body");
pub(crate) const REST_URI_BUILDER: RuntimeItem = RuntimeItem("rest::UriBuilder");

// `retry`
pub(crate) const RETRY_RETRY_CONFIG: RuntimeItem = RuntimeItem("retry::RetryConfig");

// `test_util` (feature `test-util`, which generated crates turn on for their own tests)
pub(crate) const TEST_UTIL_CANNED_RESPONSE: RuntimeItem = RuntimeItem("test_util::CannedResponse");
pub(crate) const TEST_UTIL_RECORDING_HTTP_CLIENT: RuntimeItem = RuntimeItem("test_util::RecordingHttpClient");

// `validate`
pub(crate) const VALIDATE_LENGTH: RuntimeItem = RuntimeItem("validate::length");
pub(crate) const VALIDATE_LENGTH_UNIT: RuntimeItem = RuntimeItem("validate::LengthUnit");
pub(crate) const VALIDATE_PATH: RuntimeItem = RuntimeItem("validate::Path");
pub(crate) const VALIDATE_RANGE: RuntimeItem = RuntimeItem("validate::range");
pub(crate) const VALIDATE_STRING_LENGTH: RuntimeItem = RuntimeItem("validate::string_length");
pub(crate) const VALIDATE_UNKNOWN_VALUE: RuntimeItem = RuntimeItem("validate::unknown_value");
pub(crate) const VALIDATE_VALIDATE: RuntimeItem = RuntimeItem("validate::Validate");
pub(crate) const VALIDATE_VALIDATION_ERROR: RuntimeItem = RuntimeItem("validate::ValidationError");

// `waiter` (the emitter hands `WAITER` to the JMESPath compiler, `crate::jmespath`, for the paths'
// value functions)
pub(crate) const WAITER: RuntimeItem = RuntimeItem("waiter");
pub(crate) const WAITER_ACCEPTOR_STATE: RuntimeItem = RuntimeItem("waiter::AcceptorState");
pub(crate) const WAITER_CLI_FAILURE: RuntimeItem = RuntimeItem("waiter::cli_failure");
pub(crate) const WAITER_FINAL_POLL: RuntimeItem = RuntimeItem("waiter::FinalPoll");
pub(crate) const WAITER_WAIT: RuntimeItem = RuntimeItem("waiter::wait");
pub(crate) const WAITER_WAITER_CONFIG: RuntimeItem = RuntimeItem("waiter::WaiterConfig");
pub(crate) const WAITER_WAITER_ERROR: RuntimeItem = RuntimeItem("waiter::WaiterError");
pub(crate) const VALIDATE_VIOLATION: RuntimeItem = RuntimeItem("validate::Violation");
pub(crate) const VALIDATE_VIOLATION_KIND: RuntimeItem = RuntimeItem("validate::ViolationKind");

#[cfg(test)]
mod tests {
    use super::*;

    /// Runtime paths spelled anywhere else would bypass the table (and break when the runtime moves).
    #[test]
    fn no_other_emitter_spells_a_runtime_path() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit");
        for entry in std::fs::read_dir(&dir).expect("read src/emit") {
            let path = entry.expect("a directory entry").path();
            if path.file_name().is_some_and(|name| name == "runtime_paths.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read an emitter");
            for spelled in ["crate::runtime::", "#krate::runtime::", "smithy_lite_runtime::"] {
                assert!(
                    !text.contains(spelled),
                    "{} spells `{spelled}`: add the item to runtime_paths.rs",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn items_print_as_paths_through_the_runtime_facade_or_the_crate() {
        assert_eq!(JSON_OBJECT.to_token_stream().to_string(), "crate :: runtime :: json :: object");
        let krate = ident("my_service");
        assert_eq!(
            PARTITIONS_PARTITIONS.through(&krate).to_string(),
            ":: my_service :: runtime :: partitions :: Partitions"
        );
        assert_eq!(
            pattern_type(Engine::FancyRegex).to_token_stream().to_string(),
            "crate :: runtime :: pattern_fancy_regex :: pattern :: Pattern"
        );
    }
}
