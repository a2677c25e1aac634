//! The client's configuration and the call pipeline every operation shares: sign, send, retry, time out.
//!
//! Generated operation methods validate and serialize their input, hand the body to
//! [`Runtime::invoke`], and parse what comes back; everything protocol-level lives here once.
//!
//! # Each attempt
//!
//! Every attempt asks the credentials provider again (a cache, normally, so this costs a lock) and is
//! signed afresh: a retry after a long backoff is signed at its own time with credentials that are
//! still valid, not with those of the first attempt, which may have expired meanwhile.
//!
//! # Clock skew
//!
//! AWS refuses a signature made more than a few minutes away from its own clock. When a response is
//! a clock-skew error (`RequestTimeTooSkewed`, `InvalidSignatureException`, `SignatureDoesNotMatch`,
//! `RequestExpired`, ...: `retry::is_clock_skew_error`) and its `Date` header shows the service's
//! clock more than [`CLOCK_SKEW_THRESHOLD`] away from the time the client signs with, the client
//! keeps the difference as its clock offset and retries at once (within the configured attempts);
//! every later request of the client is signed at its clock plus that offset, as the AWS SDKs do. A
//! skew error without such a `Date` (a wrong secret key, say) is not retried.

use std::fmt;
use std::future::Future as _;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, SystemTime};

use super::credentials::{Environment, ProvideCredentials};
use super::default_chain::DefaultSources;
use super::endpoint_config::{
    endpoint_url_from_env, AccountIdEndpointMode, EndpointConfig, EndpointSettings, EndpointValue, PatternEndpoints,
    ResolveEndpoint, ResolvedEndpoint, SettingSources,
};
use super::error::{
    error_metadata, request_id, ConfigError, ErrorMetadata, ResponseError, SdkError, ServiceError, TimeoutError,
};
use super::http::{BoxFuture, HttpClient, TransportError};
use super::provider_http::ProviderHttp;
use super::request_body::{append_content_encoding, RequestBody};
#[cfg(feature = "request-compression")]
use super::request_compression::{CompressionConfig, CompressionSettings};
use super::retry::{classify, is_clock_skew_error, random_backoff_delay, RetryConfig};
use super::sigv4::{Signer, SigningParams};

/// Facts about the service that the generator fills in.
#[derive(Debug, Clone, Copy)]
pub struct ServiceInfo {
    /// The endpoint prefix (`codepipeline` in `codepipeline.us-east-1.amazonaws.com`).
    pub endpoint_prefix: &'static str,
    /// The SigV4 signing name.
    pub signing_name: &'static str,
    /// The `X-Amz-Target` prefix (the service shape name).
    pub target_prefix: &'static str,
    /// The awsJson content type.
    pub content_type: &'static str,
    /// The service part of `AWS_ENDPOINT_URL_<SERVICE>`: the SDK ID with spaces as underscores, upper
    /// case (`CODEPIPELINE`, `ELASTIC_BEANSTALK`), as the AWS SDKs name it.
    pub endpoint_env_suffix: &'static str,
    /// `User-Agent` value naming the crate and version.
    pub user_agent: &'static str,
    /// The service's endpoint rules, when its model has them; without, the plain pattern
    /// ([`PatternEndpoints`]) applies.
    pub endpoint_rules: Option<fn() -> &'static dyn ResolveEndpoint>,
    /// `aws.protocols#awsQueryCompatible`: requests carry `x-amzn-query-mode: true`, and an error's
    /// code comes from the `x-amzn-query-error` header when it has one.
    pub query_compatible: bool,
}

/// Which constraint checks run before a request is sent.
///
/// Smithy advises clients not to enforce constraint traits, because services relax them over time (a
/// longer maximum length, a new enum value) and a strict client would then reject valid calls until it
/// is regenerated. Checking locally, on the other hand, fails fast with a precise message and never
/// sends a request the service would reject anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValidationMode {
    /// Check lengths, ranges, patterns and enum values before sending (the default).
    #[default]
    Full,
    /// Check only that required members are present (which the types guarantee anyway) and leave
    /// constraints to the service.
    RequiredOnly,
}

/// The default cap on a response body; larger responses are refused rather than buffered.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;

/// How far the service's clock (a clock-skew error's `Date`) must be from the client's before the
/// client corrects its signing time; within it, the service would have accepted the signature.
pub const CLOCK_SKEW_THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// A clock for signing: returns the time a request is signed at. See [`Config::time_source`].
pub type TimeSource = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Makes the idempotency token of a call whose input left its `@idempotencyToken` member unset (see
/// [`Config::idempotency_token_provider`]).
pub type IdempotencyTokenProvider = Arc<dyn Fn() -> String + Send + Sync>;

/// How a client reaches and authenticates with the service.
#[derive(Clone)]
pub struct Config {
    region: Option<String>,
    endpoint: EndpointConfig,
    /// The endpoint URL of the environment variables, read with them (for [`Config::get_endpoint_url`]).
    env_endpoint: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    /// Where region and credentials come from when they are not set: see [`Config::from_env`].
    sources: Option<DefaultSources>,
    http_client: Option<Arc<dyn HttpClient>>,
    retry: RetryConfig,
    attempt_timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    connect_timeout: Duration,
    max_response_bytes: usize,
    validation: ValidationMode,
    time_source: Option<TimeSource>,
    idempotency_token_provider: Option<IdempotencyTokenProvider>,
    #[cfg(feature = "request-compression")]
    pub(super) compression: CompressionConfig,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials providers redact their own secrets; only whether one is set is shown here.
        let mut debug = f.debug_struct("Config");
        debug
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("env_endpoint", &self.env_endpoint.as_deref().map(super::endpoint_config::redact_url))
            .field("credentials", &self.credentials.as_ref().map(|_| "** set **"))
            .field("sources", &self.sources)
            .field("http_client", &self.http_client)
            .field("retry", &self.retry)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("call_timeout", &self.call_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("validation", &self.validation)
            .field("time_source", &self.time_source.as_ref().map_or("system clock", |_| "custom"))
            .field(
                "idempotency_token_provider",
                &self.idempotency_token_provider.as_ref().map_or("random UUID v4", |_| "custom"),
            );
        #[cfg(feature = "request-compression")]
        debug.field("compression", &self.compression);
        debug.finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            region: None,
            endpoint: EndpointConfig::default(),
            env_endpoint: None,
            credentials: None,
            sources: None,
            http_client: None,
            retry: RetryConfig::standard(),
            attempt_timeout: Some(Duration::from_secs(30)),
            call_timeout: None,
            connect_timeout: Duration::from_secs(10),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            validation: ValidationMode::Full,
            time_source: None,
            idempotency_token_provider: None,
            #[cfg(feature = "request-compression")]
            compression: CompressionConfig::default(),
        }
    }
}

impl Config {
    /// An empty configuration: set a region and credentials, or use [`Config::from_env`].
    pub fn builder() -> Self {
        Config::default()
    }

    /// Region, endpoint settings and credentials from the process environment, as the AWS SDKs find them.
    ///
    /// Region: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region` in `~/.aws/config`,
    /// then the EC2 instance metadata service (asked when the client is built; see the `region`
    /// module). Endpoint: FIPS, dual-stack, account-based endpoints, host prefixes and an explicit
    /// URL from the variables and the profile (see the `endpoint_config` module: `AWS_USE_FIPS_ENDPOINT`,
    /// `AWS_ENDPOINT_URL_<SERVICE>`, ...), else the service's public endpoint for the region.
    /// Credentials: the default chain (see the `default_chain` module): the environment, the profile
    /// (static keys, `credential_process`, assumed roles, web identity), web identity from the
    /// environment, the ECS/EKS container endpoint, then IMDS; the profile is `AWS_PROFILE`, else
    /// `default`. The profile's settings are read when the client is built.
    pub fn from_env(service: &ServiceInfo) -> Self {
        Config::from_environment(service, Environment::process())
    }

    /// [`Config::from_env`] reading an explicit environment (for tests, or to layer your own values).
    pub fn from_environment(service: &ServiceInfo, env: Environment) -> Self {
        let env_endpoint = endpoint_url_from_env(&env, service.endpoint_env_suffix);
        Config { env_endpoint, sources: Some(DefaultSources::new(env)), ..Config::default() }
    }

    /// Takes the region, endpoint settings and credentials from this profile of `~/.aws/config` and
    /// `~/.aws/credentials` (as the CLI's `--profile` does), instead of `AWS_PROFILE`; credentials in
    /// the environment variables are then not used. Settings made explicitly still win.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        let sources = self.sources.take().unwrap_or_else(|| DefaultSources::new(Environment::process()));
        self.sources = Some(sources.profile(profile));
        self
    }

    /// Sets the region (`us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends requests to this URL instead of the region's public endpoint (the endpoint rules, when
    /// the service has them, decide what it combines with: FIPS and a custom URL, for one, do not).
    /// Its path is kept: `https://example.com/custom` receives `POST /custom/`.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint.url = Some(url.into());
        self
    }

    /// Uses the service's FIPS 140 endpoints (`AWS_USE_FIPS_ENDPOINT`, profile `use_fips_endpoint`).
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.endpoint.use_fips = Some(use_fips);
        self
    }

    /// Uses the service's dual-stack (IPv4 and IPv6) endpoints (`AWS_USE_DUALSTACK_ENDPOINT`, profile
    /// `use_dualstack_endpoint`).
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.endpoint.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// Whether calls go to account-based endpoints, for services that have them
    /// (`AWS_ACCOUNT_ID_ENDPOINT_MODE`, profile `account_id_endpoint_mode`; `preferred` by default).
    pub fn account_id_endpoint_mode(mut self, mode: AccountIdEndpointMode) -> Self {
        self.endpoint.account_id_endpoint_mode = Some(mode);
        self
    }

    /// Leaves operations' host prefixes (`smithy.api#endpoint`) out of the host, for endpoints that
    /// do not serve them, such as local test servers (`AWS_DISABLE_HOST_PREFIX_INJECTION`, profile
    /// `disable_host_prefix_injection`).
    pub fn disable_host_prefix_injection(mut self, disable: bool) -> Self {
        self.endpoint.disable_host_prefix_injection = Some(disable);
        self
    }

    /// Sets a parameter of the service's endpoint rules by name (a model's client context
    /// parameters; the crate documentation lists them). An unknown name fails when the client is built.
    pub fn endpoint_param(mut self, name: impl Into<String>, value: impl Into<EndpointValue>) -> Self {
        let name = name.into();
        self.endpoint.params.retain(|(existing, _)| *existing != name);
        self.endpoint.params.push((name, value.into()));
        self
    }

    /// Uses these credentials: static [`Credentials`](super::credentials::Credentials) or any provider.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Sends requests through this HTTP client instead of the built-in one.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(Arc::new(client));
        self
    }

    /// Sets the retry behaviour (3 attempts with exponential backoff and jitter by default).
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Limits each attempt (connect, send, receive); `None` for no limit. 30 seconds by default.
    pub fn attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// Limits the whole call, retries and backoff included; `None` (the default) for no limit.
    pub fn call_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.call_timeout = timeout;
        self
    }

    /// Limits connecting with the built-in HTTP client (10 seconds by default).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Refuses response bodies larger than this (10 MiB by default).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Chooses which checks run before sending; see [`ValidationMode`].
    pub fn validation(mut self, mode: ValidationMode) -> Self {
        self.validation = mode;
        self
    }

    /// Signs requests at the time this function returns instead of the system clock.
    ///
    /// Meant for tests that check a signature against a fixed vector, and for reproducing a
    /// signature when debugging. AWS rejects requests signed more than a few minutes away from its
    /// own clock, so a real client should keep the default.
    pub fn time_source(mut self, now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.time_source = Some(Arc::new(now));
        self
    }

    /// Makes the idempotency tokens the client fills in: an operation whose input has an
    /// `@idempotencyToken` member the caller left unset sends `provider()`'s token, made once per call
    /// (its retries share it). The default is a fresh random UUID v4 per call, which is what a real
    /// client should keep; a fixed token (`|| "00000000-0000-4000-8000-000000000000".to_string()`)
    /// is for tests that compare requests with literal ones, as Smithy's protocol tests do.
    pub fn idempotency_token_provider(mut self, provider: impl Fn() -> String + Send + Sync + 'static) -> Self {
        self.idempotency_token_provider = Some(Arc::new(provider));
        self
    }

    /// The configured region, else the one the environment variables or the profile name, if any.
    pub fn get_region(&self) -> Option<&str> {
        self.region.as_deref().or_else(|| self.sources.as_ref().and_then(DefaultSources::region))
    }

    /// The endpoint URL set on the config, else the one the environment variables name, if any (the
    /// profile's is read when the client is built).
    pub fn get_endpoint_url(&self) -> Option<&str> {
        self.endpoint.url.as_deref().or(self.env_endpoint.as_deref())
    }
}

/// What an operation call tells the pipeline besides its body: its name, the parameters its input
/// gives the endpoint rules, its host prefix, and (restJson1) its HTTP request line and headers.
#[derive(Debug, Clone)]
pub struct Call {
    operation: &'static str,
    endpoint_params: Vec<(&'static str, EndpointValue)>,
    host_prefix: Option<String>,
    http: Option<Box<HttpRequestParts>>,
    #[cfg(feature = "content-md5")]
    content_md5: bool,
}

/// The parts of a restJson1 request that its input decides. Without them a call is an awsJson one:
/// `POST` to the endpoint's path, named by `x-amz-target`, with the service's content type.
#[derive(Debug, Clone)]
struct HttpRequestParts {
    /// The model's method (`GET`), which the model loader checked is a token.
    method: &'static str,
    /// The operation's path and query, percent-encoded, put after the endpoint's own path.
    path_and_query: String,
    /// The operation's headers, in the order the input gives them.
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    /// The body's `Content-Type`; `None` when the request has no body.
    content_type: Option<http::HeaderValue>,
}

/// A header the input gives that cannot be sent: its name or value is not valid in HTTP. The
/// value is not repeated, since it may be secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidHeader {
    name: String,
    what: &'static str,
}

impl fmt::Display for InvalidHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "header `{}`: {}", self.name, self.what)
    }
}

impl std::error::Error for InvalidHeader {}

impl Call {
    /// A call of `operation` (its wire name).
    #[inline]
    pub fn new(operation: &'static str) -> Self {
        Call {
            operation,
            endpoint_params: Vec::new(),
            host_prefix: None,
            http: None,
            #[cfg(feature = "content-md5")]
            content_md5: false,
        }
    }

    /// Gives the endpoint rules' parameter `name` this value for the call (`smithy.rules#contextParam`
    /// and its kin); the endpoint is then resolved for the call.
    pub fn endpoint_param(mut self, name: &'static str, value: impl Into<EndpointValue>) -> Self {
        self.endpoint_params.push((name, value.into()));
        self
    }

    /// Puts this prefix (already checked: `endpoint_config::host_prefix`) in front of the host.
    pub fn host_prefix(mut self, prefix: String) -> Self {
        self.host_prefix = Some(prefix);
        self
    }

    /// Sends `Content-MD5`, the base64 of the MD5 of the body as sent (compressed, when it is), with
    /// every attempt (`smithy.api#httpChecksumRequired`).
    #[cfg(feature = "content-md5")]
    pub fn content_md5(mut self) -> Self {
        self.content_md5 = true;
        self
    }

    /// Makes this a restJson1 call: `method` to `path_and_query` (starting with `/`, already
    /// percent-encoded) after the endpoint's path, with no `x-amz-target` and no body until
    /// [`Call::content_type`] names one.
    pub fn http_request(mut self, method: &'static str, path_and_query: String) -> Self {
        self.http =
            Some(Box::new(HttpRequestParts { method, path_and_query, headers: Vec::new(), content_type: None }));
        self
    }

    /// Adds a header (after [`Call::http_request`]; an awsJson call has no headers of its own).
    /// `name` may be in any case; an invalid name or value is an error, and nothing is added.
    pub fn header(&mut self, name: &str, value: &str) -> Result<(), InvalidHeader> {
        let invalid = |what| InvalidHeader { name: name.to_string(), what };
        let header_name = http::HeaderName::try_from(name).map_err(|_| invalid("not a valid header name"))?;
        let header_value =
            http::HeaderValue::try_from(value).map_err(|_| invalid("the value is not valid in a header"))?;
        if let Some(parts) = &mut self.http {
            parts.headers.push((header_name, header_value));
        }
        Ok(())
    }

    /// The body's `Content-Type` (a restJson1 request with a body). A type that is not a valid
    /// header value is an error.
    pub fn content_type(&mut self, content_type: &str) -> Result<(), InvalidHeader> {
        let value = http::HeaderValue::try_from(content_type).map_err(|_| InvalidHeader {
            name: "Content-Type".to_string(),
            what: "the value is not valid in a header",
        })?;
        if let Some(parts) = &mut self.http {
            parts.content_type = Some(value);
        }
        Ok(())
    }

    /// Whether the input already set a header of this name (any case): an `@httpPrefixHeaders` entry
    /// gives way to an `@httpHeader` member of the same name.
    pub fn sets_header(&self, name: &str) -> bool {
        http::HeaderName::try_from(name).is_ok_and(|name| self.has_header(&name))
    }

    /// Whether the request carries a header of this name (any case), from the input or as its
    /// content type, so the pipeline does not add its own.
    fn has_header(&self, name: &http::HeaderName) -> bool {
        self.http.as_ref().is_some_and(|parts| {
            parts.headers.iter().any(|(n, _)| n == name)
                || (name == http::header::CONTENT_TYPE && parts.content_type.is_some())
        })
    }
}

/// A successful response, for the generated code to parse.
///
/// `Debug` gives the body's length, not its contents, which may hold secrets (keys, tokens,
/// `@sensitive` members).
pub struct RawResponse {
    /// The HTTP status.
    pub status: u16,
    /// The request ID, if the service sent one.
    pub request_id: Option<String>,
    /// The headers (restJson1 outputs bind members to them).
    pub headers: http::HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

impl std::fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("body_length", &self.body.len())
            .finish()
    }
}

impl RawResponse {
    /// A [`ResponseError`] for a response that could not be parsed (its body, or under restJson1 a
    /// header; `error` says which).
    pub fn unreadable(&self, error: impl std::error::Error + Send + Sync + 'static) -> ResponseError {
        ResponseError::new(
            self.status,
            self.request_id.clone(),
            "the response does not match the model",
            Some(Box::new(error)),
        )
    }
}

/// Built at compile time rather than parsed on every request.
const X_AMZ_TARGET: http::header::HeaderName = http::header::HeaderName::from_static("x-amz-target");

/// A configured client's shared state: everything resolved once, at construction.
pub struct Runtime {
    service: ServiceInfo,
    region: String,
    endpoints: Endpoints,
    credentials: Arc<dyn ProvideCredentials>,
    http: Arc<dyn HttpClient>,
    signer: Signer,
    // Header values that are the same on every request, built once.
    content_type: http::HeaderValue,
    user_agent: http::HeaderValue,
    /// `x-amz-target` values of the operations called so far; a handful at most, so a list.
    targets: std::sync::Mutex<Vec<(&'static str, http::HeaderValue)>>,
    retry: RetryConfig,
    attempt_timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    max_response_bytes: usize,
    validation: ValidationMode,
    time_source: Option<TimeSource>,
    idempotency_token_provider: Option<IdempotencyTokenProvider>,
    /// The service's clock minus the client's, in milliseconds, learnt from a clock-skew error
    /// (see the [module documentation](self)); added to the time every request is signed at.
    clock_offset_millis: AtomicI64,
    #[cfg(feature = "request-compression")]
    pub(super) compression: Result<CompressionSettings, ConfigError>,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("region", &self.region)
            .field("endpoints", &self.endpoints)
            .field("retry", &self.retry)
            .field("validation", &self.validation)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// Resolves a configuration: region, endpoint, credentials provider and HTTP client must all be known.
    pub fn new(service: ServiceInfo, config: Config) -> Result<Self, ConfigError> {
        let region = match (config.region.filter(|r| !r.trim().is_empty()), &config.sources) {
            (Some(region), _) => region,
            (None, Some(sources)) => {
                // The region lookup runs on a runtime of its own, so it gets a client of its own
                // unless the user supplied one (see the `region` module).
                let lookup_http = config.http_client.clone().map_or_else(ProviderHttp::built_in, ProviderHttp::new);
                sources.resolve_region(lookup_http).map_err(ConfigError::new)?
            }
            (None, None) => {
                return Err(ConfigError::new(
                    "no region: set one on the config, or AWS_REGION / AWS_DEFAULT_REGION in the environment",
                ))
            }
        };
        // Before anything is built from it: the region goes into hosts (the service's, STS's).
        super::region::check_region(&region).map_err(ConfigError::new)?;
        let sources = config.sources.as_ref().map(|s| SettingSources { env: s.env(), profile: s.profile_name() });
        #[cfg(feature = "request-compression")]
        let compression = config.compression.resolve(sources);
        let settings = config.endpoint.resolve(region.clone(), sources, service.endpoint_env_suffix)?;
        let endpoints = Endpoints::new(&service, settings)?;
        // `Err` holds the sources to build the default chain from, once the HTTP client exists.
        let given_credentials = match (config.credentials, &config.sources) {
            (Some(credentials), _) => Ok(credentials),
            (None, Some(sources)) => Err(sources),
            (None, None) => {
                return Err(ConfigError::new("no credentials provider: set one on the config or use Config::from_env"))
            }
        };
        let http = match &config.http_client {
            Some(client) => Arc::clone(client),
            None => default_http_client(config.connect_timeout)?,
        };
        let credentials = given_credentials.unwrap_or_else(|sources| -> Arc<dyn ProvideCredentials> {
            Arc::new(sources.credentials(ProviderHttp::new(Arc::clone(&http)), &region))
        });
        let header = |what: &str, value: &str| {
            http::HeaderValue::from_str(value)
                .map_err(|_| ConfigError::new(format!("the service's {what} `{value}` is not a valid header value")))
        };
        let content_type = header("content type", service.content_type)?;
        let user_agent = header("user agent", service.user_agent)?;
        Ok(Runtime {
            service,
            region,
            endpoints,
            credentials,
            http,
            signer: Signer::new(),
            content_type,
            user_agent,
            targets: std::sync::Mutex::new(Vec::new()),
            retry: config.retry,
            attempt_timeout: config.attempt_timeout,
            call_timeout: config.call_timeout,
            max_response_bytes: config.max_response_bytes,
            validation: config.validation,
            time_source: config.time_source,
            idempotency_token_provider: config.idempotency_token_provider,
            clock_offset_millis: AtomicI64::new(0),
            #[cfg(feature = "request-compression")]
            compression,
        })
    }

    /// Whether inputs get their constraints checked before sending.
    #[inline]
    pub fn checks_constraints(&self) -> bool {
        self.validation == ValidationMode::Full
    }

    /// The token for an `@idempotencyToken` member the caller left unset: the configured
    /// provider's (see [`Config::idempotency_token_provider`]), else `random()`'s (generated crates
    /// pass a UUID v4 maker, so the runtime needs no UUID crate).
    pub fn idempotency_token(&self, random: impl FnOnce() -> String) -> String {
        match &self.idempotency_token_provider {
            Some(provider) => provider(),
            None => random(),
        }
    }

    /// The configured region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The endpoint calls go to, when it was resolved once for the client: not for services whose
    /// endpoint depends on the credentials' account, nor for calls whose input names endpoint parameters.
    pub fn endpoint(&self) -> Option<&ResolvedEndpoint> {
        self.endpoints.client.as_deref()
    }

    /// Whether operations' host prefixes go in front of the host (see
    /// [`Config::disable_host_prefix_injection`]); their labels are only checked when they do.
    pub fn injects_host_prefix(&self) -> bool {
        self.endpoints.settings.inject_host_prefix
    }

    /// Sends one operation's request body (JSON text, or a body compressed as the operation allows),
    /// retrying as configured, and returns the successful response.
    ///
    /// `parse_error` turns an error response into the operation's error type; `is_retryable` says
    /// whether a modeled error carries `@retryable`.
    pub async fn invoke<E: Send>(
        &self,
        call: Call,
        body: impl Into<RequestBody>,
        parse_error: fn(&ErrorMetadata, &[u8]) -> E,
        is_retryable: fn(&E) -> bool,
    ) -> Result<RawResponse, SdkError<E>> {
        let mut parsed = None;
        let mut read_error = |meta: &ErrorMetadata, _: &http::HeaderMap, body: &[u8]| {
            let error = parse_error(meta, body);
            let retryable = is_retryable(&error);
            parsed = Some(error);
            retryable
        };
        let outcome = self.call(call, body.into(), ErrorFormat::Json, &mut read_error).await;
        outcome.map_err(|failure| failure.with_error(parsed))
    }

    /// [`Runtime::invoke`] for a restJson1 call: an error response's type comes from restJson1's
    /// places (`rest::error_metadata`), and `parse_error` also gets the response's headers, which
    /// errors bind members to.
    #[cfg(feature = "rest-json")]
    pub async fn invoke_rest<E: Send>(
        &self,
        call: Call,
        body: impl Into<RequestBody>,
        parse_error: fn(&ErrorMetadata, &http::HeaderMap, &[u8]) -> E,
        is_retryable: fn(&E) -> bool,
    ) -> Result<RawResponse, SdkError<E>> {
        let mut parsed = None;
        let mut read_error = |meta: &ErrorMetadata, headers: &http::HeaderMap, body: &[u8]| {
            let error = parse_error(meta, headers, body);
            let retryable = is_retryable(&error);
            parsed = Some(error);
            retryable
        };
        let outcome = self.call(call, body.into(), ErrorFormat::Rest, &mut read_error).await;
        outcome.map_err(|failure| failure.with_error(parsed))
    }

    /// A call's attempts, within the call timeout if one is set.
    ///
    /// This and [`Runtime::attempts`] know nothing of the operation's error type: `read_error`
    /// keeps the error it reads from an error response and says whether it is `@retryable`. So the
    /// loop (signing, sending, timeouts, retries) is compiled once, in this crate, instead of once
    /// per operation and inlined into every caller.
    async fn call(
        &self,
        call: Call,
        body: RequestBody,
        format: ErrorFormat,
        read_error: &mut ReadError<'_>,
    ) -> Result<RawResponse, CallFailure> {
        // One place polls the attempts, with or without a deadline: `tokio::time::timeout` on one
        // branch and a bare `.await` on the other would be two.
        let mut attempts = self.boxed_attempts(call, body, format, read_error);
        let mut deadline = std::pin::pin!(self.call_timeout.map(tokio::time::sleep));
        std::future::poll_fn(|cx| {
            if let Poll::Ready(result) = attempts.as_mut().poll(cx) {
                return Poll::Ready(result);
            }
            match (deadline.as_mut().as_pin_mut(), self.call_timeout) {
                (Some(sleep), Some(limit)) => {
                    sleep.poll(cx).map(|()| Err(CallFailure::Timeout(TimeoutError::new("call", limit))))
                }
                _ => Poll::Pending,
            }
        })
        .await
    }

    /// [`Runtime::attempts`], boxed: the code of an `async fn` is compiled into every codegen unit
    /// that polls its future, and a caller polls this one through the box's vtable, built here.
    #[inline(never)]
    fn boxed_attempts<'a>(
        &'a self,
        call: Call,
        body: RequestBody,
        format: ErrorFormat,
        read_error: &'a mut ReadError<'_>,
    ) -> BoxFuture<'a, Result<RawResponse, CallFailure>> {
        Box::pin(self.attempts(call, body, format, read_error))
    }

    async fn attempts(
        &self,
        call: Call,
        body: RequestBody,
        format: ErrorFormat,
        read_error: &mut ReadError<'_>,
    ) -> Result<RawResponse, CallFailure> {
        // restJson1 calls name their operation by method and path instead.
        let target = match &call.http {
            None => Some(self.target(call.operation)?),
            Some(_) => None,
        };
        let max_attempts = self.retry.max_attempts().max(1);
        let mut attempt = 1;
        loop {
            // Per attempt (see the module documentation): a retry may come long after the first try.
            let attempt_target = self.attempt_target(&call).await?;
            let request = self.signed_request(
                attempt_target.endpoint(),
                attempt_target.destination(),
                &call,
                target.as_ref(),
                &body,
                &attempt_target.credentials,
            )?;
            let outcome = self.send_once(request).await;
            // Each arm returns unless the attempt failed in a way worth retrying.
            match outcome {
                Err(AttemptError::Transport(e)) => {
                    if !e.is_retryable() || attempt >= max_attempts {
                        return Err(CallFailure::Transport(e));
                    }
                }
                Err(AttemptError::Timeout(limit)) => {
                    if attempt >= max_attempts {
                        return Err(CallFailure::Timeout(TimeoutError::new("attempt", limit)));
                    }
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    if (200..300).contains(&status) {
                        // The same headers error responses take their request ID from.
                        let request_id = request_id(response.headers());
                        let (parts, body) = response.into_parts();
                        return Ok(RawResponse { status, request_id, headers: parts.headers, body });
                    }
                    let (meta, modeled_retryable) = self.read_error_response(&response, format, read_error);
                    let skew_corrected =
                        meta.code().is_some_and(is_clock_skew_error) && self.correct_clock_skew(response.headers());
                    if skew_corrected && attempt < max_attempts {
                        // The next attempt is signed at the corrected time; no backoff is needed.
                        attempt += 1;
                        continue;
                    }
                    let kind = classify(status, meta.code(), modeled_retryable);
                    if !kind.is_retryable() || attempt >= max_attempts {
                        return Err(CallFailure::Service(meta));
                    }
                }
            }
            tokio::time::sleep(random_backoff_delay(&self.retry, attempt)).await;
            attempt += 1;
        }
    }

    /// An error response's metadata, and whether the error `read_error` read from it (and kept) is
    /// modeled as `@retryable`.
    fn read_error_response(
        &self,
        response: &http::Response<Vec<u8>>,
        format: ErrorFormat,
        read_error: &mut ReadError<'_>,
    ) -> (ErrorMetadata, bool) {
        let status = response.status().as_u16();
        match format {
            ErrorFormat::Json => {
                let parsed = crate::json::from_slice(response.body()).ok();
                let mut meta = error_metadata(status, response.headers(), parsed.as_ref());
                if self.service.query_compatible {
                    meta = meta.with_query_error(response.headers());
                }
                // A body that is not JSON reads as `{}`, so the metadata's type still finds its error.
                let body: &[u8] = if parsed.is_some() { response.body() } else { b"{}" };
                let retryable = read_error(&meta, response.headers(), body);
                (meta, retryable)
            }
            #[cfg(feature = "rest-json")]
            ErrorFormat::Rest => {
                let (meta, body) = super::rest::error_metadata(status, response.headers(), response.body());
                let retryable = read_error(&meta, response.headers(), body);
                (meta, retryable)
            }
        }
    }

    /// What one attempt sends with and to: credentials asked for afresh (see the module
    /// documentation), the endpoint they resolve, and that endpoint with the call's host prefix.
    async fn attempt_target(&self, call: &Call) -> Result<AttemptTarget<'_>, ConfigError> {
        let credentials = self
            .credentials
            .provide_credentials()
            .await
            .map_err(|e| ConfigError::new(format!("cannot load credentials: {e}")))?;
        let endpoint = self.endpoints.for_call(call, credentials.account_id())?;
        let prefixed = match &call.host_prefix {
            Some(prefix) if self.injects_host_prefix() => {
                Some(endpoint.with_host_prefix(prefix).map_err(ConfigError::new)?)
            }
            _ => None,
        };
        Ok(AttemptTarget { credentials, endpoint, prefixed })
    }

    /// The time a request is signed at now: the configured clock plus the learnt offset.
    fn signing_time(&self) -> SystemTime {
        let clock = self.time_source.as_ref().map_or_else(SystemTime::now, |now| now());
        let offset = self.clock_offset_millis.load(Ordering::Relaxed);
        let shifted = if offset >= 0 {
            clock.checked_add(Duration::from_millis(offset.unsigned_abs()))
        } else {
            clock.checked_sub(Duration::from_millis(offset.unsigned_abs()))
        };
        shifted.unwrap_or(clock)
    }

    /// After a clock-skew error: takes the service's clock from the response's `Date` and, when it
    /// is more than [`CLOCK_SKEW_THRESHOLD`] from the signing time, keeps the difference as the
    /// clock offset. Whether it did (and so whether a retry can succeed).
    fn correct_clock_skew(&self, headers: &http::HeaderMap) -> bool {
        let Some(server) = headers
            .get(http::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|text| super::datetime::DateTime::parse_http_date(text).ok())
        else {
            return false;
        };
        let server_millis = i128::from(server.secs()) * 1000 + i128::from(server.subsec_nanos() / 1_000_000);
        let signing_millis = millis_since_epoch(self.signing_time());
        let skew = server_millis - signing_millis;
        if skew.unsigned_abs() <= CLOCK_SKEW_THRESHOLD.as_millis() {
            return false;
        }
        let clock_millis = millis_since_epoch(self.time_source.as_ref().map_or_else(SystemTime::now, |now| now()));
        match i64::try_from(server_millis - clock_millis) {
            Ok(offset) => {
                self.clock_offset_millis.store(offset, Ordering::Relaxed);
                true
            }
            Err(_) => false,
        }
    }

    /// The `x-amz-target` value for `operation`, built on its first call.
    fn target(&self, operation: &'static str) -> Result<http::HeaderValue, ConfigError> {
        // A poisoned lock only means another thread panicked while pushing; the list is still valid.
        let mut targets = self.targets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, value)) = targets.iter().find(|(name, _)| *name == operation) {
            return Ok(value.clone());
        }
        let value = http::HeaderValue::try_from(format!("{}.{operation}", self.service.target_prefix))
            .map_err(|_| ConfigError::new(format!("the operation name `{operation}` is not a valid header value")))?;
        targets.push((operation, value.clone()));
        Ok(value)
    }

    /// One attempt's request to `destination` (the endpoint's URL and host, with the call's host
    /// prefix), signed as `endpoint` says.
    fn signed_request(
        &self,
        endpoint: &ResolvedEndpoint,
        destination: (&http::Uri, &http::HeaderValue),
        call: &Call,
        target: Option<&http::HeaderValue>,
        body: &RequestBody,
        credentials: &super::credentials::Credentials,
    ) -> Result<http::Request<Vec<u8>>, ConfigError> {
        let (encoding, body) = (body.content_encoding(), body.bytes());
        let length = (!body.is_empty()).then_some(body.len() as u64);
        let (method, uri, mut headers) = self.request_head(endpoint, destination, call, target, length, encoding)?;
        #[cfg(feature = "content-md5")]
        if call.content_md5 {
            headers.insert(http::header::HeaderName::from_static("content-md5"), content_md5(body));
        }
        let params = self.signing_params(endpoint, credentials);
        self.signer
            .sign(&method, &uri, &mut headers, body, &params)
            .map_err(|e| ConfigError::new(format!("cannot sign the request: {e}")))?;
        let mut request = http::Request::new(body.to_vec());
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        Ok(request)
    }

    /// How a request to `endpoint` is signed, at the signing time of this moment.
    fn signing_params<'a>(
        &'a self,
        endpoint: &'a ResolvedEndpoint,
        credentials: &'a super::credentials::Credentials,
    ) -> SigningParams<'a> {
        SigningParams {
            credentials,
            region: endpoint.signing_region().unwrap_or(&self.region),
            service: endpoint.signing_name().unwrap_or(self.service.signing_name),
            // Read per attempt, so every retry is signed afresh at its own time.
            time: self.signing_time(),
        }
    }

    /// The method, URL and headers (unsigned) of one attempt's request to `destination`, for a body
    /// of `length` bytes (`None`: no body) encoded with `encoding`.
    fn request_head(
        &self,
        endpoint: &ResolvedEndpoint,
        destination: (&http::Uri, &http::HeaderValue),
        call: &Call,
        target: Option<&http::HeaderValue>,
        length: Option<u64>,
        encoding: Option<&'static str>,
    ) -> Result<(http::Method, http::Uri, http::HeaderMap), ConfigError> {
        let content_length = http::HeaderValue::from(length.unwrap_or(0));
        let (endpoint_uri, host) = destination;
        let operation_uri;
        let (method, uri) = match &call.http {
            None => (http::Method::POST, endpoint_uri),
            Some(parts) => {
                let method = http::Method::from_bytes(parts.method.as_bytes())
                    .map_err(|_| ConfigError::new(format!("`{}` is not an HTTP method", parts.method)))?;
                operation_uri = join_path(endpoint_uri, &parts.path_and_query)?;
                (method, &operation_uri)
            }
        };
        // The header map is filled directly with values built once, rather than through
        // `http::request::Builder`, which would parse and copy every name and value again.
        let mut headers = http::HeaderMap::with_capacity(8);
        match &call.http {
            None => {
                headers.insert(http::header::CONTENT_TYPE, self.content_type.clone());
                headers.insert(http::header::CONTENT_LENGTH, content_length);
            }
            Some(parts) => {
                for (name, value) in &parts.headers {
                    headers.append(name.clone(), value.clone());
                }
                // A request without a body says nothing about one (no type, no length). A
                // `Content-Type` member of the input overrides the payload's own type.
                if let Some(content_type) = &parts.content_type {
                    if !headers.contains_key(http::header::CONTENT_TYPE) {
                        headers.insert(http::header::CONTENT_TYPE, content_type.clone());
                    }
                }
                if length.is_some() || parts.content_type.is_some() {
                    headers.insert(http::header::CONTENT_LENGTH, content_length);
                }
            }
        }
        if let Some(target) = target {
            headers.insert(X_AMZ_TARGET, target.clone());
        }
        if !call.has_header(&http::header::USER_AGENT) {
            headers.insert(http::header::USER_AGENT, self.user_agent.clone());
        }
        headers.insert(http::header::HOST, host.clone());
        if self.service.query_compatible {
            headers.insert(
                http::header::HeaderName::from_static("x-amzn-query-mode"),
                http::HeaderValue::from_static("true"),
            );
        }
        for (name, value) in endpoint.headers() {
            headers.append(name.clone(), value.clone());
        }
        // Before signing, so the signature covers the encoding as well as the compressed bytes.
        if let Some(encoding) = encoding {
            append_content_encoding(&mut headers, encoding);
        }
        Ok((method, uri.clone(), headers))
    }

    async fn send_once(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, AttemptError> {
        let send = self.http.send(request, self.max_response_bytes);
        match self.attempt_timeout {
            None => send.await.map_err(AttemptError::Transport),
            Some(limit) => match tokio::time::timeout(limit, send).await {
                Ok(result) => result.map_err(AttemptError::Transport),
                Err(_) => Err(AttemptError::Timeout(limit)),
            },
        }
    }
}

/// The endpoint's URL with an operation's path and query after its own path (`https://host/base`
/// and `/things/1?x=y` make `https://host/base/things/1?x=y`); an endpoint's own query is kept first.
fn join_path(endpoint: &http::Uri, path_and_query: &str) -> Result<http::Uri, ConfigError> {
    let base = endpoint.path().trim_end_matches('/');
    let (path, query) = match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    };
    let endpoint_query = endpoint.query().unwrap_or_default();
    let mut joined = String::with_capacity(base.len() + path_and_query.len() + endpoint_query.len() + 2);
    joined.push_str(base);
    joined.push_str(path);
    for (i, part) in [endpoint_query, query.unwrap_or_default()].into_iter().filter(|q| !q.is_empty()).enumerate() {
        joined.push(if i == 0 { '?' } else { '&' });
        joined.push_str(part);
    }
    let mut parts = endpoint.clone().into_parts();
    parts.path_and_query = Some(
        joined
            .parse()
            .map_err(|_| ConfigError::new(format!("`{joined}` is not a valid path and query for a request")))?,
    );
    http::Uri::from_parts(parts).map_err(|e| ConfigError::new(format!("the request's URL is not valid: {e}")))
}

#[cfg(feature = "rest-json")]
#[path = "client_streaming.rs"]
mod streaming;
#[cfg(feature = "rest-json")]
pub use streaming::StreamingResponse;

/// `Content-MD5`'s value for `body`: the base64 of its MD5 digest.
#[cfg(feature = "content-md5")]
fn content_md5(body: &[u8]) -> http::HeaderValue {
    use md5::Digest as _;
    content_md5_of_digest(&md5::Md5::digest(body))
}

/// `Content-MD5`'s value for a body whose MD5 digest is `digest`.
#[cfg(feature = "content-md5")]
fn content_md5_of_digest(digest: &[u8]) -> http::HeaderValue {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(digest);
    // Base64 is visible ASCII, so always a valid header value.
    http::HeaderValue::try_from(encoded).unwrap_or_else(|_| http::HeaderValue::from_static(""))
}

/// Milliseconds since the Unix epoch (negative before it).
fn millis_since_epoch(time: SystemTime) -> i128 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_millis()).unwrap_or(i128::MAX),
        Err(before) => -i128::try_from(before.duration().as_millis()).unwrap_or(i128::MAX),
    }
}

/// Where a call's error responses say which error they are: awsJson's places, or restJson1's.
#[derive(Clone, Copy)]
enum ErrorFormat {
    Json,
    #[cfg(feature = "rest-json")]
    Rest,
}

/// Reads the operation's error from an error response's metadata, headers and parsed body (`{}`
/// when it was not JSON), keeps it, and says whether it is modeled as `@retryable`. The last error
/// it read is the one a call that ends in [`SdkError::Service`] failed with.
type ReadError<'a> = dyn FnMut(&ErrorMetadata, &http::HeaderMap, &[u8]) -> bool + Send + 'a;

/// How a call failed, before the operation's error is put back in ([`CallFailure::with_error`]).
enum CallFailure {
    Config(ConfigError),
    Transport(TransportError),
    Timeout(TimeoutError),
    /// The service answered with an error, which `ReadError` read and kept.
    Service(ErrorMetadata),
}

impl From<ConfigError> for CallFailure {
    fn from(error: ConfigError) -> Self {
        CallFailure::Config(error)
    }
}

impl CallFailure {
    /// The call's error, with the operation's error that `ReadError` kept.
    fn with_error<E>(self, read: Option<E>) -> SdkError<E> {
        match self {
            CallFailure::Config(e) => SdkError::Config(e),
            CallFailure::Transport(e) => SdkError::Transport(Box::new(e)),
            CallFailure::Timeout(e) => SdkError::Timeout(e),
            CallFailure::Service(meta) => match read {
                Some(error) => SdkError::Service(ServiceError::new(error, meta)),
                // Not reached: the loop reports a service error only after `ReadError` read one.
                None => SdkError::Response(ResponseError::new(
                    meta.status().unwrap_or_default(),
                    meta.request_id().map(str::to_owned),
                    "the error response was not read",
                    None,
                )),
            },
        }
    }
}

enum AttemptError {
    Transport(TransportError),
    Timeout(Duration),
}

/// How many per-call endpoints a client remembers; calls with the same account and parameters
/// (the same table, say) reuse one instead of evaluating the rules again.
const ENDPOINT_CACHE_SIZE: usize = 32;

/// An endpoint resolved for a call, with what it was resolved for.
type CachedEndpoint = (Option<String>, Vec<(&'static str, EndpointValue)>, Arc<ResolvedEndpoint>);

/// The client's endpoint settings and resolver, and the endpoints resolved so far.
struct Endpoints {
    resolver: Resolver,
    settings: EndpointSettings,
    /// Resolved when the client is built, for every call without parameters of its own, unless the
    /// endpoint depends on the credentials' account.
    client: Option<Arc<ResolvedEndpoint>>,
    /// Endpoints resolved per call, oldest first.
    per_call: std::sync::Mutex<Vec<CachedEndpoint>>,
}

enum Resolver {
    Rules(&'static dyn ResolveEndpoint),
    Pattern(PatternEndpoints),
}

impl Resolver {
    fn get(&self) -> &dyn ResolveEndpoint {
        match self {
            Resolver::Rules(rules) => *rules,
            Resolver::Pattern(pattern) => pattern,
        }
    }
}

impl fmt::Debug for Endpoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoints")
            .field("resolver", self.resolver.get())
            .field("settings", &self.settings)
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl Endpoints {
    /// Resolves the client's endpoint now, unless it depends on the credentials' account: a rule
    /// error is a configuration error carrying the rule's message.
    fn new(service: &ServiceInfo, settings: EndpointSettings) -> Result<Self, ConfigError> {
        let resolver = match service.endpoint_rules {
            Some(rules) => Resolver::Rules(rules()),
            None => Resolver::Pattern(PatternEndpoints { endpoint_prefix: service.endpoint_prefix }),
        };
        let client = if resolver.get().uses_account_id() {
            None
        } else {
            Some(Arc::new(resolver.get().resolve(&settings, None, &[]).map_err(ConfigError::new)?))
        };
        Ok(Endpoints { resolver, settings, client, per_call: std::sync::Mutex::new(Vec::new()) })
    }

    /// The endpoint of `call`: the client's, or one resolved for its parameters and the account.
    fn for_call(&self, call: &Call, account_id: Option<&str>) -> Result<CallEndpoint<'_>, ConfigError> {
        if call.endpoint_params.is_empty() {
            if let Some(endpoint) = &self.client {
                return Ok(CallEndpoint::Client(endpoint));
            }
        }
        let resolver = self.resolver.get();
        let account_id = account_id.filter(|_| resolver.uses_account_id());
        let key_matches = |(account, params, _): &&CachedEndpoint| {
            account.as_deref() == account_id && *params == call.endpoint_params
        };
        // A poisoned lock only means another thread panicked while pushing; the list is still valid.
        let cached =
            self.per_call.lock().unwrap_or_else(|p| p.into_inner()).iter().find(key_matches).map(|e| Arc::clone(&e.2));
        if let Some(endpoint) = cached {
            return Ok(CallEndpoint::PerCall(endpoint));
        }
        let endpoint =
            Arc::new(resolver.resolve(&self.settings, account_id, &call.endpoint_params).map_err(ConfigError::new)?);
        let mut cache = self.per_call.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= ENDPOINT_CACHE_SIZE {
            cache.remove(0);
        }
        cache.push((account_id.map(str::to_owned), call.endpoint_params.clone(), Arc::clone(&endpoint)));
        Ok(CallEndpoint::PerCall(endpoint))
    }
}

/// The endpoint one call uses: borrowed from the client (no reference count to touch on the
/// common path), or resolved for the call.
enum CallEndpoint<'a> {
    Client(&'a ResolvedEndpoint),
    PerCall(Arc<ResolvedEndpoint>),
}

impl std::ops::Deref for CallEndpoint<'_> {
    type Target = ResolvedEndpoint;

    fn deref(&self) -> &ResolvedEndpoint {
        match self {
            CallEndpoint::Client(endpoint) => endpoint,
            CallEndpoint::PerCall(endpoint) => endpoint,
        }
    }
}

/// One attempt's credentials and endpoint ([`Runtime::attempt_target`]).
struct AttemptTarget<'a> {
    credentials: super::credentials::Credentials,
    endpoint: CallEndpoint<'a>,
    /// The endpoint's URI and `Host` with the call's host prefix, when one applies.
    prefixed: Option<(http::Uri, http::HeaderValue)>,
}

impl AttemptTarget<'_> {
    fn endpoint(&self) -> &ResolvedEndpoint {
        &self.endpoint
    }

    /// Where the request goes: the URI and `Host` value, host prefix included.
    fn destination(&self) -> (&http::Uri, &http::HeaderValue) {
        match &self.prefixed {
            Some((uri, host)) => (uri, host),
            None => (self.endpoint.uri(), self.endpoint.host()),
        }
    }
}

#[cfg(feature = "default-https-client")]
fn default_http_client(connect_timeout: Duration) -> Result<Arc<dyn HttpClient>, ConfigError> {
    Ok(Arc::new(super::http::HyperClient::builder().connect_timeout(connect_timeout).build()))
}

#[cfg(not(feature = "default-https-client"))]
fn default_http_client(_connect_timeout: Duration) -> Result<Arc<dyn HttpClient>, ConfigError> {
    Err(ConfigError::new(
        "no HTTP client: enable the `default-https-client` feature or set one with Config::http_client",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INFO: ServiceInfo = ServiceInfo {
        endpoint_prefix: "svc",
        signing_name: "svc",
        target_prefix: "Svc_1",
        content_type: "application/x-amz-json-1.1",
        endpoint_env_suffix: "SVC",
        user_agent: "test/0",
        endpoint_rules: None,
        query_compatible: false,
    };

    #[test]
    fn debug_of_a_raw_response_gives_the_body_length_not_the_body() {
        let body = br#"{"SecretAccessKey":"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}"#.to_vec();
        let length = body.len();
        let text = format!(
            "{:?}",
            RawResponse { status: 200, request_id: Some("req-1".into()), headers: http::HeaderMap::new(), body }
        );
        assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
        assert!(!text.contains("83, 101"), "the body's bytes: {text}");
        assert!(text.contains(&format!("body_length: {length}")), "{text}");
        assert!(text.contains("req-1"), "{text}");
    }

    #[test]
    fn environment_supplies_region_and_endpoint_overrides() {
        let env = Environment::from_pairs([
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL", "http://general.example"),
            ("AWS_ENDPOINT_URL_SVC", "http://specific.example"),
        ]);
        let config = Config::from_environment(&INFO, env);
        assert_eq!(config.get_region(), Some("eu-west-1"));
        assert_eq!(config.get_endpoint_url(), Some("http://specific.example"));
        let env = Environment::from_pairs([("AWS_REGION", "us-west-2"), ("AWS_DEFAULT_REGION", "eu-west-1")]);
        assert_eq!(Config::from_environment(&INFO, env).get_region(), Some("us-west-2"));
    }

    #[test]
    fn missing_region_or_credentials_is_a_clear_error() {
        let err = Runtime::new(INFO, Config::builder()).unwrap_err();
        assert!(err.to_string().contains("no region"), "{err}");
        let err = Runtime::new(INFO, Config::builder().region("us-east-1")).unwrap_err();
        assert!(err.to_string().contains("no credentials"), "{err}");
        let err = Runtime::new(INFO, Config::builder().region("us-east-1").endpoint_url("ftp://x")).unwrap_err();
        assert!(err.to_string().contains("http"), "{err}");
    }

    #[test]
    fn passwords_in_endpoint_urls_stay_out_of_debug_and_errors() {
        let env = Environment::from_pairs([
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL_SVC", "https://user:env-hunter2@env.example"),
        ]);
        let from_env = Config::from_environment(&INFO, env);
        assert!(!format!("{from_env:?}").contains("hunter2"), "{from_env:?}");
        let in_code = from_env.endpoint_url("https://user:code-hunter2@code.example");
        assert!(!format!("{in_code:?}").contains("hunter2"), "{in_code:?}");
        let credentials = super::super::credentials::Credentials::new("A", "S", None);
        let error = Runtime::new(INFO, in_code.credentials_provider(credentials).http_client(Recorder::default()))
            .unwrap_err()
            .to_string();
        assert!(error.contains("user name or password") && !error.contains("hunter2"), "{error}");
    }

    /// A resolver that counts its resolutions and puts what it was given into the host.
    #[derive(Debug)]
    struct Echo {
        uses_account_id: bool,
        resolutions: std::sync::atomic::AtomicUsize,
    }

    impl ResolveEndpoint for Echo {
        fn uses_account_id(&self) -> bool {
            self.uses_account_id
        }

        fn resolve(
            &self,
            settings: &EndpointSettings,
            account_id: Option<&str>,
            call: &[(&'static str, EndpointValue)],
        ) -> Result<ResolvedEndpoint, String> {
            self.resolutions.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if settings.use_fips {
                return Err("Invalid Configuration: no FIPS here".to_string());
            }
            let mut host = format!("{}.example.com", account_id.unwrap_or("any"));
            for (_, value) in call {
                if let EndpointValue::String(s) = value {
                    host = format!("{s}.{host}");
                }
            }
            ResolvedEndpoint::new(&format!("https://{host}/base"))?
                .with_signing(Some("signing-region".into()), Some("signing-name".into()))
                .with_header("x-extra", "1")
        }
    }

    static PER_CLIENT: Echo = Echo { uses_account_id: false, resolutions: std::sync::atomic::AtomicUsize::new(0) };
    // Counted by one test only, so tests running at the same time do not disturb the count.
    static COUNTED: Echo = Echo { uses_account_id: false, resolutions: std::sync::atomic::AtomicUsize::new(0) };
    static PER_ACCOUNT: Echo = Echo { uses_account_id: true, resolutions: std::sync::atomic::AtomicUsize::new(0) };

    fn per_client() -> &'static dyn ResolveEndpoint {
        &PER_CLIENT
    }

    fn counted() -> &'static dyn ResolveEndpoint {
        &COUNTED
    }

    fn per_account() -> &'static dyn ResolveEndpoint {
        &PER_ACCOUNT
    }

    #[derive(Debug, Clone, Default)]
    struct Recorder {
        requests: Arc<std::sync::Mutex<Vec<http::Request<Vec<u8>>>>>,
    }

    impl HttpClient for Recorder {
        fn send(
            &self,
            request: http::Request<Vec<u8>>,
            _max_response_bytes: usize,
        ) -> super::super::http::BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
            self.requests.lock().unwrap().push(request);
            Box::pin(async { Ok(http::Response::new(b"{}".to_vec())) })
        }
    }

    fn client_runtime(rules: fn() -> &'static dyn ResolveEndpoint, config: Config) -> (Runtime, Recorder) {
        let recorder = Recorder::default();
        let credentials =
            super::super::credentials::Credentials::new("AKID", "SECRET", None).with_account_id("111122223333");
        let config = config.region("us-east-1").credentials_provider(credentials).http_client(recorder.clone());
        let runtime = Runtime::new(ServiceInfo { endpoint_rules: Some(rules), ..INFO }, config).unwrap();
        (runtime, recorder)
    }

    async fn send(runtime: &Runtime, call: Call) -> Result<RawResponse, SdkError<()>> {
        runtime.invoke(call, "{}".to_string(), |_, _| (), |_| false).await
    }

    fn sent(recorder: &Recorder) -> Vec<(String, String, String, String)> {
        let requests = recorder.requests.lock().unwrap();
        let header = |r: &http::Request<Vec<u8>>, name: &str| {
            r.headers().get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
        };
        let scope = |r: &http::Request<Vec<u8>>| {
            let auth = header(r, "authorization");
            auth.split("Credential=").nth(1).and_then(|c| c.split(',').next()).unwrap_or_default().to_string()
        };
        requests.iter().map(|r| (r.uri().to_string(), header(r, "host"), header(r, "x-extra"), scope(r))).collect()
    }

    /// Answers every request with a 400 whose `x-amzn-query-error` names a code other than the body's.
    #[derive(Debug, Clone, Default)]
    struct QueryErrors {
        requests: Arc<std::sync::Mutex<Vec<http::Request<Vec<u8>>>>>,
    }

    impl HttpClient for QueryErrors {
        fn send(
            &self,
            request: http::Request<Vec<u8>>,
            _max_response_bytes: usize,
        ) -> super::super::http::BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
            self.requests.lock().unwrap().push(request);
            let mut response = http::Response::new(br#"{"__type":"ns#CustomCodeError","message":"Hi"}"#.to_vec());
            *response.status_mut() = http::StatusCode::BAD_REQUEST;
            response.headers_mut().insert("x-amzn-query-error", http::HeaderValue::from_static("Customized;Sender"));
            Box::pin(async { Ok(response) })
        }
    }

    #[tokio::test]
    async fn a_query_compatible_service_gets_the_query_mode_header_and_its_error_codes() {
        for query_compatible in [true, false] {
            let http = QueryErrors::default();
            let config = Config::builder()
                .region("us-east-1")
                .credentials_provider(super::super::credentials::Credentials::new("AKID", "SECRET", None))
                .http_client(http.clone());
            let runtime = Runtime::new(ServiceInfo { query_compatible, ..INFO }, config).unwrap();
            let codes = |meta: &ErrorMetadata, _: &[u8]| {
                (meta.code().map(str::to_owned), meta.query_fault().map(str::to_owned))
            };
            let error = runtime.invoke(Call::new("Op"), "{}".to_string(), codes, |_| false).await.unwrap_err();
            let SdkError::Service(error) = error else { panic!("{error:?}") };
            let requests = http.requests.lock().unwrap();
            let mode = requests[0].headers().get("x-amzn-query-mode").map(|v| v.to_str().unwrap().to_owned());
            let signed = requests[0].headers()["authorization"].to_str().unwrap().contains("x-amzn-query-mode");
            if query_compatible {
                assert_eq!(error.err(), &(Some("Customized".to_owned()), Some("Sender".to_owned())));
                assert_eq!((mode.as_deref(), signed), (Some("true"), true));
            } else {
                assert_eq!(error.err(), &(Some("CustomCodeError".to_owned()), None));
                assert_eq!((mode, signed), (None, false));
            }
        }
    }

    #[tokio::test]
    async fn the_endpoint_is_resolved_once_unless_the_call_brings_parameters() {
        use std::sync::atomic::Ordering::SeqCst;
        let (runtime, recorder) = client_runtime(counted, Config::builder());
        assert_eq!(COUNTED.resolutions.load(SeqCst), 1, "resolved when the client is built");
        assert_eq!(runtime.endpoint().map(|e| e.uri().to_string()).as_deref(), Some("https://any.example.com/base/"));
        for _ in 0..3 {
            send(&runtime, Call::new("Plain")).await.unwrap();
        }
        assert_eq!(COUNTED.resolutions.load(SeqCst), 1, "calls without parameters reuse the client's endpoint");
        for table in ["t1", "t2", "t1"] {
            send(&runtime, Call::new("Table").endpoint_param("Table", table)).await.unwrap();
        }
        assert_eq!(COUNTED.resolutions.load(SeqCst), 3, "one resolution per distinct parameters");
        let sent = sent(&recorder);
        assert_eq!(sent[0].0, "https://any.example.com/base/");
        assert_eq!(sent[3].0, "https://t1.any.example.com/base/");
        assert_eq!(sent[4].1, "t2.any.example.com");
        assert!(sent.iter().all(|(_, _, extra, _)| extra == "1"), "the endpoint's headers are sent");
        assert!(sent[0].3.ends_with("/signing-region/signing-name/aws4_request"), "{}", sent[0].3);
    }

    #[tokio::test]
    async fn a_rest_call_sends_its_method_path_and_headers_after_the_endpoints_path() {
        let (runtime, recorder) = client_runtime(per_client, Config::builder());
        let mut call = Call::new("GetThing").http_request("PUT", "/things/a%20b?x=1&y".to_string());
        call.header("X-Custom", "one").unwrap();
        call.header("x-custom", "two").unwrap();
        assert!(call.sets_header("X-CUSTOM") && !call.sets_header("x-other") && !call.sets_header("bad name"));
        call.content_type("text/plain").unwrap();
        runtime.invoke(call, "hi".to_string(), |_, _| (), |_| false).await.unwrap();
        let mut typed = Call::new("PutImage").http_request("PUT", "/image".to_string());
        typed.header("Content-Type", "image/jpg").unwrap();
        typed.content_type("application/octet-stream").unwrap();
        runtime.invoke(typed, b"\xff".to_vec(), |_, _| (), |_| false).await.unwrap();
        let mut empty = Call::new("ListThings").http_request("GET", "/things".to_string());
        assert!(empty.header("bad name", "v").unwrap_err().to_string().contains("`bad name`"));
        assert!(empty.header("x-ok", "line\nbreak").is_err(), "a value with a line break is refused");
        runtime.invoke(empty, String::new(), |_, _| (), |_| false).await.unwrap();
        let requests = recorder.requests.lock().unwrap();
        let (put, typed, get) = (&requests[0], &requests[1], &requests[2]);
        assert_eq!(typed.headers()["content-type"], "image/jpg", "the input's own Content-Type wins");
        assert_eq!(typed.headers().get_all("content-type").iter().count(), 1);
        assert_eq!(put.method(), http::Method::PUT);
        assert_eq!(put.uri().to_string(), "https://any.example.com/base/things/a%20b?x=1&y");
        let custom: Vec<&str> = put.headers().get_all("x-custom").iter().map(|v| v.to_str().unwrap()).collect();
        assert_eq!(custom, ["one", "two"]);
        assert_eq!(put.headers()["content-type"], "text/plain");
        assert_eq!(put.headers()["content-length"], "2");
        assert!(put.headers().get("x-amz-target").is_none(), "a rest call is named by its path");
        assert!(put.headers()["authorization"].to_str().unwrap().contains("x-custom"), "its headers are signed");
        assert_eq!(get.method(), http::Method::GET);
        assert_eq!(get.uri().path(), "/base/things");
        assert!(get.headers().get("x-ok").is_none(), "a refused header is not added");
        for absent in ["content-type", "content-length"] {
            assert!(get.headers().get(absent).is_none(), "a request without a body has no {absent}");
        }
    }

    #[test]
    fn operation_paths_go_after_the_endpoints_path_and_query() {
        let join = |endpoint: &str, path: &str| join_path(&endpoint.parse().unwrap(), path).unwrap().to_string();
        assert_eq!(join("https://h.example", "/a/b?c=d"), "https://h.example/a/b?c=d");
        assert_eq!(join("https://h.example/custom/", "/a"), "https://h.example/custom/a");
        assert_eq!(join("https://h.example/custom?k=v", "/a?c"), "https://h.example/custom/a?k=v&c");
        assert_eq!(join("http://h.example:8080", "/"), "http://h.example:8080/");
    }

    #[tokio::test]
    async fn an_endpoint_that_uses_the_account_is_resolved_with_the_credentials() {
        let (runtime, recorder) = client_runtime(per_account, Config::builder());
        assert!(runtime.endpoint().is_none(), "nothing is resolved before the credentials are known");
        send(&runtime, Call::new("Plain")).await.unwrap();
        send(&runtime, Call::new("Plain")).await.unwrap();
        assert_eq!(sent(&recorder)[0].0, "https://111122223333.example.com/base/");
        assert_eq!(sent(&recorder).len(), 2);
    }

    #[tokio::test]
    async fn rule_errors_are_configuration_errors_with_the_rules_message() {
        let error = Runtime::new(
            ServiceInfo { endpoint_rules: Some(per_client), ..INFO },
            Config::builder()
                .region("us-east-1")
                .use_fips(true)
                .credentials_provider(super::super::credentials::Credentials::new("A", "S", None)),
        )
        .unwrap_err();
        assert_eq!(error.message(), "Invalid Configuration: no FIPS here");
        let (runtime, recorder) = client_runtime(per_account, Config::builder().use_fips(true));
        let error = send(&runtime, Call::new("Plain")).await.unwrap_err();
        assert!(
            matches!(&error, SdkError::Config(e) if e.message() == "Invalid Configuration: no FIPS here"),
            "{error:?}"
        );
        assert!(sent(&recorder).is_empty(), "nothing is sent");
    }

    #[tokio::test]
    async fn host_prefixes_go_in_front_of_the_host_unless_turned_off() {
        let (runtime, recorder) = client_runtime(per_client, Config::builder());
        assert!(runtime.injects_host_prefix());
        send(&runtime, Call::new("Prefixed").host_prefix("data-".to_string())).await.unwrap();
        assert_eq!(sent(&recorder)[0].0, "https://data-any.example.com/base/");
        assert_eq!(sent(&recorder)[0].1, "data-any.example.com");
        let (runtime, recorder) = client_runtime(per_client, Config::builder().disable_host_prefix_injection(true));
        assert!(!runtime.injects_host_prefix());
        send(&runtime, Call::new("Prefixed").host_prefix("data-".to_string())).await.unwrap();
        assert_eq!(sent(&recorder)[0].0, "https://any.example.com/base/");
    }

    #[test]
    fn idempotency_tokens_come_from_the_provider_when_one_is_set() {
        let (runtime, _) = client_runtime(per_client, Config::builder());
        assert_eq!(runtime.idempotency_token(|| "random".to_string()), "random");
        let counter = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let count = Arc::clone(&counter);
        let config = Config::builder().idempotency_token_provider(move || {
            format!("token-{}", count.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
        });
        assert!(format!("{config:?}").contains("idempotency_token_provider: \"custom\""), "{config:?}");
        let (runtime, _) = client_runtime(per_client, config);
        assert_eq!(runtime.idempotency_token(|| unreachable!("the provider is used")), "token-0");
        assert_eq!(runtime.idempotency_token(|| unreachable!("the provider is used")), "token-1");
    }

    #[cfg(feature = "content-md5")]
    #[tokio::test]
    async fn content_md5_is_the_digest_of_the_body_as_sent_and_is_signed() {
        let (runtime, recorder) = client_runtime(per_client, Config::builder());
        let md5 = |request: &http::Request<Vec<u8>>| request.headers().get("content-md5").cloned();
        send(&runtime, Call::new("Plain")).await.unwrap();
        runtime
            .invoke(Call::new("Checked").content_md5(), "{\"a\":1}".to_string(), |_, _| (), |_| false)
            .await
            .unwrap();
        // A compressed body's digest is of the compressed bytes (these stand for them).
        let compressed = super::super::request_body::RequestBody::encoded(vec![0x1f, 0x8b, 0, 1], "gzip");
        runtime.invoke(Call::new("Compressed").content_md5(), compressed, |_, _| (), |_| false).await.unwrap();
        let requests = recorder.requests.lock().unwrap();
        assert_eq!(md5(&requests[0]), None);
        // `printf '{"a":1}' | openssl md5 -binary | base64`
        assert_eq!(md5(&requests[1]).unwrap(), "u2y1xo30ZSlByvZSo2by2A==");
        // `printf '\x1f\x8b\x00\x01' | openssl md5 -binary | base64`
        assert_eq!(md5(&requests[2]).unwrap(), "/k+Pd2xHwIvmMc83uFq3cA==");
        let authorization = requests[1].headers()["authorization"].to_str().unwrap();
        assert!(authorization.contains(";content-md5;"), "{authorization}");
    }

    #[test]
    fn without_rules_the_pattern_applies_and_fips_is_refused() {
        let credentials = super::super::credentials::Credentials::new("A", "S", None);
        let config = Config::builder().region("cn-north-1").credentials_provider(credentials.clone());
        let runtime = Runtime::new(INFO, config.http_client(Recorder::default())).unwrap();
        assert_eq!(runtime.endpoint().unwrap().uri(), "https://svc.cn-north-1.amazonaws.com.cn/");
        let config = Config::builder().region("us-east-1").use_fips(true).credentials_provider(credentials);
        let error = Runtime::new(INFO, config.http_client(Recorder::default())).unwrap_err();
        assert!(error.message().contains("no endpoint rules"), "{error}");
    }

    /// Answers with the given responses in order, then with 200 `{}`, and records every request.
    #[derive(Debug, Clone, Default)]
    struct Scripted {
        replies: Arc<std::sync::Mutex<std::collections::VecDeque<http::Response<Vec<u8>>>>>,
        requests: Arc<std::sync::Mutex<Vec<http::Request<Vec<u8>>>>>,
    }

    impl Scripted {
        fn new(replies: Vec<http::Response<Vec<u8>>>) -> Self {
            Scripted { replies: Arc::new(std::sync::Mutex::new(replies.into())), ..Scripted::default() }
        }

        fn header(&self, index: usize, name: &str) -> String {
            let requests = self.requests.lock().unwrap();
            requests[index].headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
        }

        fn sent(&self) -> usize {
            self.requests.lock().unwrap().len()
        }
    }

    impl HttpClient for Scripted {
        fn send(
            &self,
            request: http::Request<Vec<u8>>,
            _max_response_bytes: usize,
        ) -> super::super::http::BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
            self.requests.lock().unwrap().push(request);
            let reply = self.replies.lock().unwrap().pop_front();
            Box::pin(async move { Ok(reply.unwrap_or_else(|| http::Response::new(b"{}".to_vec()))) })
        }
    }

    fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
        let mut response = http::Response::builder().status(status);
        for (name, value) in headers {
            response = response.header(*name, *value);
        }
        response.body(body.as_bytes().to_vec()).unwrap()
    }

    /// Hands out `AKID0`, `AKID1`, ... one per request for credentials.
    #[derive(Debug, Default)]
    struct Rotating {
        handed_out: std::sync::atomic::AtomicUsize,
    }

    impl ProvideCredentials for Rotating {
        fn provide_credentials(&self) -> super::super::credentials::ProvideCredentialsFuture<'_> {
            let n = self.handed_out.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Box::pin(async move { Ok(super::super::credentials::Credentials::new(format!("AKID{n}"), "SECRET", None)) })
        }
    }

    /// 2024-01-01T00:00:00Z.
    const T0: u64 = 1_704_067_200;

    fn scripted_runtime(http: &Scripted, config: Config) -> Runtime {
        let config = config
            .region("us-east-1")
            .credentials_provider(Rotating::default())
            .http_client(http.clone())
            .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
            .time_source(|| SystemTime::UNIX_EPOCH + Duration::from_secs(T0));
        Runtime::new(INFO, config).unwrap()
    }

    #[tokio::test]
    async fn each_attempt_is_signed_with_credentials_fetched_for_it() {
        let http = Scripted::new(vec![reply(500, &[], "{}"), reply(503, &[], "{}")]);
        let runtime = scripted_runtime(&http, Config::builder());
        send(&runtime, Call::new("Op")).await.unwrap();
        assert_eq!(http.sent(), 3);
        for attempt in 0..3 {
            let authorization = http.header(attempt, "authorization");
            assert!(authorization.contains(&format!("Credential=AKID{attempt}/")), "{attempt}: {authorization}");
        }
    }

    #[tokio::test]
    async fn a_modeled_retryable_error_is_retried_and_the_call_fails_with_the_last_error_read() {
        let busy = reply(400, &[], r#"{"__type":"BusyException"}"#);
        let gone = reply(400, &[("x-amzn-requestid", "req-2")], r#"{"__type":"GoneException"}"#);
        let http = Scripted::new(vec![busy.clone(), gone]);
        let runtime = scripted_runtime(&http, Config::builder());
        let code_of = |meta: &ErrorMetadata, _: &[u8]| meta.code().unwrap_or_default().to_string();
        let modeled_retryable = |error: &String| error == "BusyException";
        let error = runtime.invoke(Call::new("Op"), "{}".to_string(), code_of, modeled_retryable).await.unwrap_err();
        assert_eq!(http.sent(), 2, "the @retryable error is retried, the other is not");
        assert_eq!(error.as_service_error().map(String::as_str), Some("GoneException"));
        assert_eq!(error.meta().and_then(ErrorMetadata::request_id), Some("req-2"));

        // Out of attempts, the call fails with the retryable error it read last.
        let http = Scripted::new(vec![busy.clone(), busy.clone(), busy]);
        let runtime = scripted_runtime(&http, Config::builder());
        let error = runtime.invoke(Call::new("Op"), "{}".to_string(), code_of, modeled_retryable).await.unwrap_err();
        assert_eq!(http.sent(), 3);
        assert_eq!(error.as_service_error().map(String::as_str), Some("BusyException"));
    }

    #[tokio::test]
    async fn a_clock_skew_error_corrects_the_clock_from_date_and_retries() {
        let hour_later = super::super::datetime::DateTime::from_secs(T0 as i64 + 3600).fmt_http_date();
        let skewed =
            reply(403, &[("date", &hour_later)], r#"{"__type":"InvalidSignatureException","message":"expired"}"#);
        let http = Scripted::new(vec![skewed]);
        let runtime = scripted_runtime(&http, Config::builder());
        send(&runtime, Call::new("Op")).await.unwrap();
        assert_eq!(http.sent(), 2);
        assert_eq!(http.header(0, "x-amz-date"), "20240101T000000Z");
        assert_eq!(http.header(1, "x-amz-date"), "20240101T010000Z", "signed at the service's time");
        send(&runtime, Call::new("Op")).await.unwrap();
        assert_eq!(http.header(2, "x-amz-date"), "20240101T010000Z", "later calls keep the offset");

        // The service behind: the offset is negative.
        let hour_earlier = super::super::datetime::DateTime::from_secs(T0 as i64 - 3600).fmt_http_date();
        let http = Scripted::new(vec![reply(400, &[("date", &hour_earlier)], r#"{"__type":"RequestExpired"}"#)]);
        let runtime = scripted_runtime(&http, Config::builder());
        send(&runtime, Call::new("Op")).await.unwrap();
        assert_eq!(http.header(1, "x-amz-date"), "20231231T230000Z");
    }

    #[tokio::test]
    async fn a_skew_error_without_a_skewed_date_is_not_retried() {
        let close = super::super::datetime::DateTime::from_secs(T0 as i64 + 10).fmt_http_date();
        for headers in [vec![], vec![("date", close.as_str())], vec![("date", "yesterday")]] {
            let http = Scripted::new(vec![reply(403, &headers, r#"{"__type":"SignatureDoesNotMatch"}"#)]);
            let runtime = scripted_runtime(&http, Config::builder());
            let error = send(&runtime, Call::new("Op")).await.unwrap_err();
            assert!(matches!(error, SdkError::Service(_)), "{error:?}");
            assert_eq!(http.sent(), 1, "{headers:?}: a wrong key stays wrong");
        }
    }

    #[tokio::test]
    async fn the_host_header_drops_the_default_port() {
        for (url, host) in [
            ("https://svc.example.com:443", "svc.example.com"),
            ("http://svc.example.com:80/base", "svc.example.com"),
            ("http://127.0.0.1:8080", "127.0.0.1:8080"),
        ] {
            let http = Scripted::default();
            let runtime = scripted_runtime(&http, Config::builder().endpoint_url(url));
            send(&runtime, Call::new("Op")).await.unwrap();
            assert_eq!(http.header(0, "host"), host, "{url}");
        }
    }
}
