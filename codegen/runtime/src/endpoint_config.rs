//! Where a client sends its requests: the endpoint settings, read where the AWS SDKs read them, and
//! the endpoint a call goes to and is signed for.
//!
//! # Settings
//!
//! Each setting takes the first value found: set in code ([`EndpointConfig`], through `Config`'s
//! setters; the CLI's `--endpoint-url`), else the environment, else the profile (the one
//! `Config::profile` or the CLI's `--profile` chose, else `AWS_PROFILE`, else `default`; read with
//! `profile_file`), else the default.
//!
//! | setting | environment | profile | default |
//! | --- | --- | --- | --- |
//! | FIPS endpoints | `AWS_USE_FIPS_ENDPOINT` | `use_fips_endpoint` | `false` |
//! | dual-stack (IPv6) endpoints | `AWS_USE_DUALSTACK_ENDPOINT` | `use_dualstack_endpoint` | `false` |
//! | account-based endpoints | `AWS_ACCOUNT_ID_ENDPOINT_MODE` | `account_id_endpoint_mode` | `preferred` |
//! | no host prefixes | `AWS_DISABLE_HOST_PREFIX_INJECTION` | `disable_host_prefix_injection` | `false` |
//! | endpoint URL | `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL` | the `endpoint_url` of the service in the profile's `services` section, then the profile's `endpoint_url` | none |
//!
//! `<SERVICE>` is the service's SDK ID in upper case with spaces as underscores (`CODEPIPELINE`); in
//! a services section the service is named in lower case (`codepipeline =`, then an indented
//! `endpoint_url = ...`). `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
//! `ignore_configured_endpoint_urls`) set to `true` ignores the endpoint URLs of the environment and
//! the profile, but not one set in code. Booleans are `true` or `false` in any case; any other value
//! is a configuration error naming the variable or the profile key, and so is a profile file that
//! cannot be read.
//!
//! # Endpoints
//!
//! A crate generated from a model with endpoint rules resolves its endpoint with them (the
//! `endpoint_resolver` module implements [`ResolveEndpoint`] over the `endpoint` evaluator); one
//! without rules uses [`PatternEndpoints`]: the endpoint URL, else
//! `https://{prefix}.{region}.{dnsSuffix}`, the DNS suffix of the region's partition in AWS's table
//! ([`partitions`]: `amazonaws.com`, `amazonaws.com.cn` in China, `c2s.ic.gov` in `us-iso-*`). The
//! region must be one host label ([`check_region`]), whichever way the endpoint is found. Either way the
//! result is a [`ResolvedEndpoint`]: the URL an awsJson request is posted to, its `Host`, extra
//! headers, and the signing region and name when the endpoint names them. An operation with a host
//! prefix (`smithy.api#endpoint`) puts it in front of that host, its labels checked first
//! ([`host_prefix`]).

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use super::credentials::Environment;
use super::error::ConfigError;
use super::partitions::Partitions;
use super::profile_file::{Profile, ProfileSet, ProfileSource};
use super::region::check_region;
use super::validate::{ValidationError, Violation, ViolationKind};

/// AWS's partition table as the runtime carries it (`data/partitions.json`).
pub const PARTITIONS_JSON: &str = super::partitions::AWS_PARTITIONS_JSON;

/// The partition table, parsed on first use. The generator checks the table it embeds, so an error
/// here means the crate's copy was edited.
pub fn partitions() -> Result<&'static Partitions, String> {
    static TABLE: OnceLock<Result<Partitions, String>> = OnceLock::new();
    TABLE.get_or_init(|| Partitions::parse(PARTITIONS_JSON).map_err(|e| e.to_string())).as_ref().map_err(Clone::clone)
}

/// `url` for messages and `Debug`: a user name and password in it become `***`, so that they never
/// reach an error, a log or `Debug` output.
pub fn redact_url(url: &str) -> String {
    let start = url.find("://").map_or(0, |scheme_end| scheme_end + 3);
    let end = url[start..].find(['/', '?', '#']).map_or(url.len(), |offset| start + offset);
    match url[start..end].rfind('@') {
        Some(at) => format!("{}***{}", &url[..start], &url[start + at..]),
        None => url.to_owned(),
    }
}

/// Whether requests go to account-based endpoints (`AWS::Auth::AccountIdEndpointMode`), for services
/// whose rules have them (DynamoDB's `https://{account}.ddb.{region}.amazonaws.com`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountIdEndpointMode {
    /// Use the account's endpoint when the credentials name their account (the default).
    #[default]
    Preferred,
    /// Never use account-based endpoints.
    Disabled,
    /// Always use them: a call whose credentials do not name their account fails.
    Required,
}

impl AccountIdEndpointMode {
    /// The value as the rules and the settings spell it (`preferred`).
    pub fn as_str(self) -> &'static str {
        match self {
            AccountIdEndpointMode::Preferred => "preferred",
            AccountIdEndpointMode::Disabled => "disabled",
            AccountIdEndpointMode::Required => "required",
        }
    }
}

impl FromStr for AccountIdEndpointMode {
    type Err = String;

    /// `preferred`, `disabled` or `required`, in any case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "preferred" => Ok(AccountIdEndpointMode::Preferred),
            "disabled" => Ok(AccountIdEndpointMode::Disabled),
            "required" => Ok(AccountIdEndpointMode::Required),
            _ => Err(format!("`{}` is not preferred, disabled or required", text.trim())),
        }
    }
}

impl fmt::Display for AccountIdEndpointMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value for an endpoint-rules parameter: from an operation's input, fixed for an operation, or
/// set on the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointValue {
    /// A string.
    String(String),
    /// A list of strings.
    StringArray(Vec<String>),
    /// A boolean.
    Bool(bool),
}

impl From<String> for EndpointValue {
    fn from(value: String) -> Self {
        EndpointValue::String(value)
    }
}

impl From<&str> for EndpointValue {
    fn from(value: &str) -> Self {
        EndpointValue::String(value.to_owned())
    }
}

impl From<Vec<String>> for EndpointValue {
    fn from(value: Vec<String>) -> Self {
        EndpointValue::StringArray(value)
    }
}

impl From<bool> for EndpointValue {
    fn from(value: bool) -> Self {
        EndpointValue::Bool(value)
    }
}

/// The endpoint settings set in code; those left `None` come from the environment and the profile.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct EndpointConfig {
    /// An explicit endpoint URL.
    pub url: Option<String>,
    /// Whether to use FIPS endpoints.
    pub use_fips: Option<bool>,
    /// Whether to use dual-stack (IPv4 and IPv6) endpoints.
    pub use_dual_stack: Option<bool>,
    /// Whether to use account-based endpoints.
    pub account_id_endpoint_mode: Option<AccountIdEndpointMode>,
    /// Whether to leave operations' host prefixes out of the host.
    pub disable_host_prefix_injection: Option<bool>,
    /// Values for the rule set's own parameters (a model's `smithy.rules#clientContextParams`), by name.
    pub params: Vec<(String, EndpointValue)>,
}

impl fmt::Debug for EndpointConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EndpointConfig")
            .field("url", &self.url.as_deref().map(redact_url))
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("account_id_endpoint_mode", &self.account_id_endpoint_mode)
            .field("disable_host_prefix_injection", &self.disable_host_prefix_injection)
            .field("params", &self.params)
            .finish()
    }
}

/// Where settings that code left unset are looked up.
#[derive(Debug, Clone, Copy)]
pub struct SettingSources<'a> {
    /// The environment variables.
    pub env: &'a Environment,
    /// The profile chosen in code, if any (else `AWS_PROFILE`, else `default`).
    pub profile: Option<&'a str>,
}

/// The settings a client resolves its endpoint with, every source consulted.
#[derive(Clone, PartialEq, Eq)]
pub struct EndpointSettings {
    /// The region.
    pub region: String,
    /// Whether to use FIPS endpoints.
    pub use_fips: bool,
    /// Whether to use dual-stack endpoints.
    pub use_dual_stack: bool,
    /// An explicit endpoint URL.
    pub endpoint_url: Option<String>,
    /// Whether to use account-based endpoints.
    pub account_id_endpoint_mode: AccountIdEndpointMode,
    /// Whether operations' host prefixes go in front of the host.
    pub inject_host_prefix: bool,
    /// Values for the rule set's own parameters, by name.
    pub params: Vec<(String, EndpointValue)>,
}

impl fmt::Debug for EndpointSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EndpointSettings")
            .field("region", &self.region)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("endpoint_url", &self.endpoint_url.as_deref().map(redact_url))
            .field("account_id_endpoint_mode", &self.account_id_endpoint_mode)
            .field("inject_host_prefix", &self.inject_host_prefix)
            .field("params", &self.params)
            .finish()
    }
}

impl EndpointConfig {
    /// The settings for `region`: what is set here, else from `sources` (when given), else the
    /// defaults. `service_env_suffix` names the service in `AWS_ENDPOINT_URL_<SERVICE>`. A region
    /// that is not one host label ([`check_region`]) is an error: it would go into the host.
    pub fn resolve(
        &self,
        region: String,
        sources: Option<SettingSources<'_>>,
        service_env_suffix: &str,
    ) -> Result<EndpointSettings, ConfigError> {
        let lookup = match sources {
            None => Lookup { env: None, profile: None },
            Some(sources) => Lookup::load(sources)?,
        };
        self.resolve_with(region, lookup, service_env_suffix)
    }

    /// [`EndpointConfig::resolve`] with a profile set already loaded (its selected profile is read):
    /// for a credentials provider that reads its own profile files.
    pub fn resolve_in_profiles(
        &self,
        region: String,
        env: &Environment,
        profiles: Option<&ProfileSet>,
        service_env_suffix: &str,
    ) -> Result<EndpointSettings, ConfigError> {
        let profile = profiles.and_then(|set| set.selected().cloned().map(|profile| (set.clone(), profile)));
        self.resolve_with(region, Lookup { env: Some(env), profile }, service_env_suffix)
    }

    fn resolve_with(
        &self,
        region: String,
        lookup: Lookup<'_>,
        service_env_suffix: &str,
    ) -> Result<EndpointSettings, ConfigError> {
        check_region(&region).map_err(ConfigError::new)?;
        let use_fips = lookup.flag(self.use_fips, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")?;
        let use_dual_stack =
            lookup.flag(self.use_dual_stack, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")?;
        let disable_prefix = lookup.flag(
            self.disable_host_prefix_injection,
            "AWS_DISABLE_HOST_PREFIX_INJECTION",
            "disable_host_prefix_injection",
        )?;
        let account_id_endpoint_mode = match self.account_id_endpoint_mode {
            Some(mode) => mode,
            None => match lookup.text("AWS_ACCOUNT_ID_ENDPOINT_MODE", "account_id_endpoint_mode") {
                None => AccountIdEndpointMode::default(),
                Some((value, from)) => value.parse().map_err(|why| ConfigError::new(format!("{from}: {why}")))?,
            },
        };
        let endpoint_url = match &self.url {
            Some(url) => Some(url.clone()),
            None => lookup.endpoint_url(service_env_suffix)?,
        };
        Ok(EndpointSettings {
            region,
            use_fips,
            use_dual_stack,
            endpoint_url,
            account_id_endpoint_mode,
            inject_host_prefix: !disable_prefix,
            params: self.params.clone(),
        })
    }
}

/// The endpoint URL the environment variables give, as [`EndpointConfig::resolve`] reads them
/// (`None` when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true`, or when it is not a boolean: the
/// client reports that when it is built).
pub fn endpoint_url_from_env(env: &Environment, service_env_suffix: &str) -> Option<String> {
    if env.get(IGNORE_URLS_VARIABLE).is_some_and(|value| parse_flag(&value) != Some(false)) {
        return None;
    }
    env.get(&format!("AWS_ENDPOINT_URL_{service_env_suffix}")).or_else(|| env.get("AWS_ENDPOINT_URL"))
}

const IGNORE_URLS_VARIABLE: &str = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

/// `true` or `false` in any case, trimmed.
fn parse_flag(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// The environment and the chosen profile, for the settings not set in code.
struct Lookup<'a> {
    env: Option<&'a Environment>,
    /// The profile set and the chosen profile, when the profile exists.
    profile: Option<(ProfileSet, Profile)>,
}

impl<'a> Lookup<'a> {
    fn load(sources: SettingSources<'a>) -> Result<Self, ConfigError> {
        let source = ProfileSource { profile: sources.profile.map(str::to_owned), ..ProfileSource::default() };
        let set = ProfileSet::load(sources.env, &source).map_err(|e| {
            ConfigError::new(format!("cannot read the endpoint settings from the profile: {}", e.message()))
        })?;
        let profile = set.selected().cloned().map(|profile| (set, profile));
        Ok(Lookup { env: Some(sources.env), profile })
    }

    /// The variable's value, else the profile key's, with where it came from (for messages).
    fn text(&self, variable: &str, key: &str) -> Option<(String, String)> {
        if let Some(value) = self.env.and_then(|env| env.get(variable)) {
            return Some((value, format!("the environment variable {variable}")));
        }
        let (set, profile) = self.profile.as_ref()?;
        let value = profile.get(key)?;
        Some((value.to_owned(), format!("`{key}` in profile [{}] of {}", profile.name(), set.describe_files())))
    }

    fn flag(&self, set_in_code: Option<bool>, variable: &str, key: &str) -> Result<bool, ConfigError> {
        if let Some(value) = set_in_code {
            return Ok(value);
        }
        match self.text(variable, key) {
            None => Ok(false),
            Some((value, from)) => parse_flag(&value)
                .ok_or_else(|| ConfigError::new(format!("{from}: `{}` is not true or false", value.trim()))),
        }
    }

    fn endpoint_url(&self, service_env_suffix: &str) -> Result<Option<String>, ConfigError> {
        if self.flag(None, IGNORE_URLS_VARIABLE, "ignore_configured_endpoint_urls")? {
            return Ok(None);
        }
        if let Some(env) = self.env {
            let service = env.get(&format!("AWS_ENDPOINT_URL_{service_env_suffix}"));
            if let Some(url) = service.or_else(|| env.get("AWS_ENDPOINT_URL")) {
                return Ok(Some(url));
            }
        }
        let Some((set, profile)) = &self.profile else { return Ok(None) };
        let service_key = service_env_suffix.to_ascii_lowercase();
        let from_services = profile
            .get("services")
            .and_then(|name| set.services(name))
            .and_then(|section| section.sub_property(&service_key, "endpoint_url"));
        Ok(from_services.or_else(|| profile.get("endpoint_url")).map(str::to_owned))
    }
}

/// Where one call's requests go and how they are signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    uri: http::Uri,
    host: http::HeaderValue,
    signing_region: Option<String>,
    signing_name: Option<String>,
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
}

impl ResolvedEndpoint {
    /// The endpoint at `url`, an `http://` or `https://` URL with a host, no query and no fragment.
    /// An awsJson request is posted to the URL's path with a single `/` after it, as the AWS SDKs send it:
    /// `https://example.com/custom` and `https://example.com/custom/` both give `POST /custom/`.
    pub fn new(url: &str) -> Result<Self, String> {
        let invalid = |why: &str| format!("the endpoint `{}` {why}", redact_url(url));
        // `http::Uri` drops a fragment without a word, which would change the URL the user gave.
        if url.contains('#') {
            return Err(invalid("must not have a fragment (`#...`)"));
        }
        let parsed: http::Uri = url.parse().map_err(|e| invalid(&format!("is not a valid URL: {e}")))?;
        let (Some(scheme), Some(authority)) = (parsed.scheme(), parsed.authority()) else {
            return Err(invalid("must be an http:// or https:// URL with a host"));
        };
        if !matches!(scheme.as_str(), "http" | "https") || authority.host().is_empty() {
            return Err(invalid("must be an http:// or https:// URL with a host"));
        }
        if authority.as_str().contains('@') {
            return Err(invalid("must not hold a user name or password"));
        }
        if parsed.query().is_some() {
            return Err(invalid("must not have a query (`?...`)"));
        }
        let path = parsed.path();
        let path = format!("{}/", path.strip_suffix('/').unwrap_or(path));
        let uri = http::Uri::builder()
            .scheme(scheme.clone())
            .authority(authority.clone())
            .path_and_query(path)
            .build()
            .map_err(|e| invalid(&format!("is not a valid URL: {e}")))?;
        let host = super::sigv4::host_from_uri(&uri).map_err(|e| invalid(&format!("has no usable host: {e}")))?;
        Ok(ResolvedEndpoint { uri, host, signing_region: None, signing_name: None, headers: Vec::new() })
    }

    /// Signs for this region and service name instead of the client's (`None` keeps the client's).
    pub fn with_signing(mut self, region: Option<String>, name: Option<String>) -> Self {
        self.signing_region = region;
        self.signing_name = name;
        self
    }

    /// Sends this header with every request to the endpoint.
    pub fn with_header(mut self, name: &str, value: &str) -> Result<Self, String> {
        let header_name = http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("the endpoint header name `{name}` is not a valid header name"))?;
        let header_value = http::HeaderValue::from_str(value)
            .map_err(|_| format!("the value of the endpoint header `{name}` is not a valid header value"))?;
        self.headers.push((header_name, header_value));
        Ok(self)
    }

    /// The URL requests are posted to.
    pub fn uri(&self) -> &http::Uri {
        &self.uri
    }

    /// The `Host` header value.
    pub fn host(&self) -> &http::HeaderValue {
        &self.host
    }

    /// The region to sign for, when the endpoint names one.
    pub fn signing_region(&self) -> Option<&str> {
        self.signing_region.as_deref()
    }

    /// The service name to sign for, when the endpoint names one.
    pub fn signing_name(&self) -> Option<&str> {
        self.signing_name.as_deref()
    }

    /// Headers sent with every request to the endpoint.
    pub fn headers(&self) -> &[(http::HeaderName, http::HeaderValue)] {
        &self.headers
    }

    /// The URL and `Host` with `prefix` (from [`host_prefix`]) in front of the host.
    pub fn with_host_prefix(&self, prefix: &str) -> Result<(http::Uri, http::HeaderValue), String> {
        let authority = self.uri.authority().map_or("", |a| a.as_str());
        let prefixed = format!("{prefix}{authority}");
        let mut parts = self.uri.clone().into_parts();
        parts.authority = Some(
            prefixed
                .parse()
                .map_err(|_| format!("the host prefix `{prefix}` does not make a valid host with `{authority}`"))?,
        );
        let uri = http::Uri::from_parts(parts).map_err(|e| format!("the prefixed endpoint is not a valid URL: {e}"))?;
        let host =
            super::sigv4::host_from_uri(&uri).map_err(|e| format!("the prefixed endpoint has no usable host: {e}"))?;
        Ok((uri, host))
    }
}

/// Finds the endpoint of a client, or of one call.
pub trait ResolveEndpoint: Send + Sync + fmt::Debug {
    /// Whether the endpoint depends on the credentials' account, so that it is found per call, once
    /// the credentials are known, rather than once when the client is built.
    fn uses_account_id(&self) -> bool;

    /// The endpoint for `settings`, the credentials' account (when [`uses_account_id`] and the
    /// credentials name one) and the parameters the call adds (`call`, from its input or fixed for
    /// the operation; empty for most calls). `Err` says why there is none, in the rules' words.
    ///
    /// [`uses_account_id`]: ResolveEndpoint::uses_account_id
    fn resolve(
        &self,
        settings: &EndpointSettings,
        account_id: Option<&str>,
        call: &[(&'static str, EndpointValue)],
    ) -> Result<ResolvedEndpoint, String>;
}

/// The endpoint of a model without endpoint rules: the endpoint URL, else
/// `https://{prefix}.{region}.{dnsSuffix}` with the DNS suffix of the region's partition ([`default_endpoint`]).
///
/// Without rules nothing says where the FIPS or dual-stack endpoints are, so asking for them is an
/// error rather than a silent use of the standard endpoint.
#[derive(Debug, Clone, Copy)]
pub struct PatternEndpoints {
    /// The service's endpoint prefix (`codepipeline`).
    pub endpoint_prefix: &'static str,
}

impl ResolveEndpoint for PatternEndpoints {
    fn uses_account_id(&self) -> bool {
        false
    }

    fn resolve(
        &self,
        settings: &EndpointSettings,
        _account_id: Option<&str>,
        _call: &[(&'static str, EndpointValue)],
    ) -> Result<ResolvedEndpoint, String> {
        let switches = [
            (settings.use_fips, "FIPS", "Config::use_fips(false)", "AWS_USE_FIPS_ENDPOINT"),
            (settings.use_dual_stack, "dual-stack", "Config::use_dual_stack(false)", "AWS_USE_DUALSTACK_ENDPOINT"),
        ];
        for (wanted, what, setter, variable) in switches {
            if !wanted {
                continue;
            }
            // Advice the user can follow: with a URL already set, only turning the switch off helps.
            return Err(match &settings.endpoint_url {
                None => format!(
                    "{what} endpoints were asked for, but the service model has no endpoint rules to find them: \
                     set the endpoint URL of the {what} endpoint, and turn {what} off ({setter}, or {variable}=false)"
                ),
                Some(url) => format!(
                    "{what} endpoints were asked for together with the endpoint URL `{}`, and the service model \
                     has no endpoint rules to say whether that URL is one: to send to it, turn {what} off \
                     ({setter}, or {variable}=false)",
                    redact_url(url)
                ),
            });
        }
        if let Some((name, _)) = settings.params.first() {
            return Err(format!(
                "the endpoint parameter `{name}` was set, but the service model has no endpoint rules"
            ));
        }
        match &settings.endpoint_url {
            Some(url) => ResolvedEndpoint::new(url),
            None => ResolvedEndpoint::new(&default_endpoint(self.endpoint_prefix, &settings.region)?),
        }
    }
}

/// The public endpoint of a service in a region by the plain pattern,
/// `https://{prefix}.{region}.{dnsSuffix}` with the DNS suffix of the region's partition
/// (`https://codepipeline.us-east-1.amazonaws.com`). A region that is not one host label is an error.
pub fn default_endpoint(endpoint_prefix: &str, region: &str) -> Result<String, String> {
    check_region(region)?;
    let partition = partitions()?.lookup(region);
    Ok(format!("https://{endpoint_prefix}.{region}.{}", partition.dns_suffix()))
}

/// A piece of an operation's host prefix (`smithy.api#endpoint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostPrefixPart<'a> {
    /// Text from the model, sent as it is.
    Text(&'static str),
    /// The value of an `@hostLabel` input member.
    Label {
        /// The member's wire name, for the error.
        member: &'static str,
        /// Its value.
        value: &'a str,
    },
}

/// The host prefix of a call, every label checked to be a valid host label (1 to 63 letters, digits
/// and hyphens, not starting with a hyphen), so that input never changes which host the request
/// goes to beyond the model's own template. The error names every member that is not.
pub fn host_prefix(parts: &[HostPrefixPart<'_>]) -> Result<String, ValidationError> {
    let mut prefix = String::new();
    let mut violations = Vec::new();
    for part in parts {
        match part {
            HostPrefixPart::Text(text) => prefix.push_str(text),
            HostPrefixPart::Label { member, value } => {
                if !is_host_label(value) {
                    violations.push(Violation::new(*member, ViolationKind::HostLabel));
                }
                prefix.push_str(value);
            }
        }
    }
    if violations.is_empty() {
        Ok(prefix)
    } else {
        Err(ValidationError::new(violations))
    }
}

fn is_host_label(value: &str) -> bool {
    (1..=63).contains(&value.len())
        && !value.starts_with('-')
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Environment {
        // No HOME: no profile files unless a test names them.
        Environment::from_pairs(pairs.iter().map(|&(k, v)| (k.to_owned(), v.to_owned())))
    }

    fn settings(config: &EndpointConfig, pairs: &[(&str, &str)]) -> Result<EndpointSettings, ConfigError> {
        let env = env(pairs);
        config.resolve("us-east-1".into(), Some(SettingSources { env: &env, profile: None }), "SVC")
    }

    struct Files {
        dir: std::path::PathBuf,
    }

    impl Files {
        fn new(name: &str, config: &str) -> Files {
            let dir = std::env::temp_dir().join(format!("endpoint-config-{name}-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("config"), config).unwrap();
            Files { dir }
        }

        fn config(&self) -> String {
            self.dir.join("config").display().to_string()
        }
    }

    impl Drop for Files {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    #[test]
    fn a_region_that_is_not_a_host_label_is_refused_before_any_endpoint() {
        for region in ["attacker.example/", "us-east-1.evil.com", "a b", ""] {
            let error = EndpointConfig::default().resolve(region.into(), None, "SVC").unwrap_err();
            assert!(error.to_string().contains("not a valid region name"), "{region}: {error}");
        }
    }

    #[test]
    fn passwords_in_endpoint_urls_stay_out_of_errors_and_debug() {
        assert_eq!(redact_url("https://user:pw@example.com:8/p?q#f"), "https://***@example.com:8/p?q#f");
        assert_eq!(redact_url("user:pw@example.com/x"), "***@example.com/x");
        assert_eq!(redact_url("https://a@b:pw@example.com"), "https://***@example.com");
        assert_eq!(redact_url("https://example.com/a@b"), "https://example.com/a@b", "an @ in the path is kept");
        let error = ResolvedEndpoint::new("https://user:hunter2@example.com").unwrap_err();
        assert!(error.contains("user name or password") && !error.contains("hunter2"), "{error}");
        let config =
            EndpointConfig { url: Some("https://user:hunter2@example.com".into()), ..EndpointConfig::default() };
        assert!(!format!("{config:?}").contains("hunter2"), "{config:?}");
        let settings = config.resolve("us-east-1".into(), None, "SVC").unwrap();
        assert!(!format!("{settings:?}").contains("hunter2"), "{settings:?}");
        let fips = EndpointSettings { use_fips: true, ..settings };
        let error = PatternEndpoints { endpoint_prefix: "svc" }.resolve(&fips, None, &[]).unwrap_err();
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn defaults_without_any_source() {
        let settings = EndpointConfig::default().resolve("eu-west-1".into(), None, "SVC").unwrap();
        assert_eq!(
            settings,
            EndpointSettings {
                region: "eu-west-1".into(),
                use_fips: false,
                use_dual_stack: false,
                endpoint_url: None,
                account_id_endpoint_mode: AccountIdEndpointMode::Preferred,
                inject_host_prefix: true,
                params: Vec::new(),
            }
        );
    }

    #[test]
    fn code_wins_over_the_environment_which_wins_over_the_profile() {
        let files = Files::new(
            "order",
            "[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = TRUE\naccount_id_endpoint_mode = required\n\
             disable_host_prefix_injection = true\nendpoint_url = http://profile.example\n",
        );
        let config_file = files.config();
        let from_profile = settings(&EndpointConfig::default(), &[("AWS_CONFIG_FILE", &config_file)]).unwrap();
        assert!(from_profile.use_fips && from_profile.use_dual_stack && !from_profile.inject_host_prefix);
        assert_eq!(from_profile.account_id_endpoint_mode, AccountIdEndpointMode::Required);
        assert_eq!(from_profile.endpoint_url.as_deref(), Some("http://profile.example"));

        let from_env = settings(
            &EndpointConfig::default(),
            &[
                ("AWS_CONFIG_FILE", &config_file),
                ("AWS_USE_FIPS_ENDPOINT", "false"),
                ("AWS_USE_DUALSTACK_ENDPOINT", " False "),
                ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled"),
                ("AWS_DISABLE_HOST_PREFIX_INJECTION", "false"),
                ("AWS_ENDPOINT_URL", "http://general.example"),
            ],
        )
        .unwrap();
        assert!(!from_env.use_fips && !from_env.use_dual_stack && from_env.inject_host_prefix);
        assert_eq!(from_env.account_id_endpoint_mode, AccountIdEndpointMode::Disabled);
        assert_eq!(from_env.endpoint_url.as_deref(), Some("http://general.example"));

        let in_code = EndpointConfig {
            url: Some("http://code.example".into()),
            use_fips: Some(true),
            use_dual_stack: Some(false),
            account_id_endpoint_mode: Some(AccountIdEndpointMode::Preferred),
            disable_host_prefix_injection: Some(true),
            params: vec![("Flag".into(), EndpointValue::Bool(true))],
        };
        let from_code = settings(
            &in_code,
            &[("AWS_CONFIG_FILE", &config_file), ("AWS_USE_FIPS_ENDPOINT", "false"), ("AWS_ENDPOINT_URL", "http://x")],
        )
        .unwrap();
        assert!(from_code.use_fips && !from_code.use_dual_stack && !from_code.inject_host_prefix);
        assert_eq!(from_code.endpoint_url.as_deref(), Some("http://code.example"));
        assert_eq!(from_code.params, [("Flag".to_string(), EndpointValue::Bool(true))]);
    }

    #[test]
    fn endpoint_urls_in_their_order_and_the_switch_that_ignores_them() {
        let files = Files::new(
            "urls",
            "[default]\nendpoint_url = http://profile.example\nservices = mine\n\
             [profile other]\nendpoint_url = http://other.example\nignore_configured_endpoint_urls = true\n\
             [services mine]\nsvc =\n  endpoint_url = http://services.example\n",
        );
        let config_file = files.config();
        let url = |pairs: &[(&str, &str)]| {
            let mut all = vec![("AWS_CONFIG_FILE", config_file.as_str())];
            all.extend_from_slice(pairs);
            settings(&EndpointConfig::default(), &all).unwrap().endpoint_url
        };
        assert_eq!(url(&[]).as_deref(), Some("http://services.example"), "the services section first");
        assert_eq!(url(&[("AWS_ENDPOINT_URL", "http://general")]).as_deref(), Some("http://general"));
        assert_eq!(
            url(&[("AWS_ENDPOINT_URL", "http://general"), ("AWS_ENDPOINT_URL_SVC", "http://specific")]).as_deref(),
            Some("http://specific")
        );
        assert_eq!(url(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"), ("AWS_ENDPOINT_URL", "http://g")]), None);
        assert_eq!(url(&[("AWS_PROFILE", "other")]), None, "the profile's own switch");
        let in_code = EndpointConfig { url: Some("http://code".into()), ..EndpointConfig::default() };
        let env = env(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")]);
        let kept = in_code.resolve("r".into(), Some(SettingSources { env: &env, profile: None }), "SVC").unwrap();
        assert_eq!(kept.endpoint_url.as_deref(), Some("http://code"), "a URL set in code is never ignored");

        let env = self::env(&[("AWS_ENDPOINT_URL", "http://g"), ("AWS_ENDPOINT_URL_SVC", "http://s")]);
        assert_eq!(endpoint_url_from_env(&env, "SVC").as_deref(), Some("http://s"));
        assert_eq!(endpoint_url_from_env(&env, "OTHER").as_deref(), Some("http://g"));
        let ignored = self::env(&[("AWS_ENDPOINT_URL", "http://g"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE")]);
        assert_eq!(endpoint_url_from_env(&ignored, "SVC"), None);
    }

    #[test]
    fn unparsable_values_are_errors_naming_the_setting() {
        let message = |pairs: &[(&str, &str)]| settings(&EndpointConfig::default(), pairs).unwrap_err().to_string();
        assert_eq!(
            message(&[("AWS_USE_FIPS_ENDPOINT", "yes")]),
            "configuration error: the environment variable AWS_USE_FIPS_ENDPOINT: `yes` is not true or false"
        );
        assert!(message(&[("AWS_USE_DUALSTACK_ENDPOINT", "1")]).contains("AWS_USE_DUALSTACK_ENDPOINT"));
        assert!(message(&[("AWS_ACCOUNT_ID_ENDPOINT_MODE", "always")])
            .contains("AWS_ACCOUNT_ID_ENDPOINT_MODE: `always` is not preferred, disabled or required"));
        assert!(
            message(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "no")]).contains("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        );
        let files = Files::new("bad", "[profile dev]\nuse_fips_endpoint = on\n");
        let error = message(&[("AWS_CONFIG_FILE", &files.config()), ("AWS_PROFILE", "dev")]);
        assert!(
            error.contains("`use_fips_endpoint` in profile [dev] of") && error.contains("`on` is not true or false"),
            "{error}"
        );
        let broken = Files::new("broken", "[profile dev\n");
        let error = message(&[("AWS_CONFIG_FILE", &broken.config())]);
        assert!(
            error.contains("cannot read the endpoint settings from the profile") && error.contains("line 1"),
            "{error}"
        );
    }

    #[test]
    fn the_profile_chosen_in_code_is_read() {
        let files = Files::new("chosen", "[profile a]\nuse_fips_endpoint = true\n[profile b]\n");
        let env = env(&[("AWS_CONFIG_FILE", &files.config()), ("AWS_PROFILE", "b")]);
        let resolve = |profile| {
            EndpointConfig::default().resolve("r".into(), Some(SettingSources { env: &env, profile }), "SVC").unwrap()
        };
        assert!(resolve(Some("a")).use_fips);
        assert!(!resolve(None).use_fips, "AWS_PROFILE chooses b");
    }

    #[test]
    fn urls_keep_their_path_with_one_slash_after_it() {
        let path = |url: &str| ResolvedEndpoint::new(url).unwrap().uri().to_string();
        assert_eq!(path("https://example.com"), "https://example.com/");
        assert_eq!(path("https://example.com/"), "https://example.com/");
        assert_eq!(path("https://example.com/custom"), "https://example.com/custom/");
        assert_eq!(path("https://example.com/custom/"), "https://example.com/custom/");
        assert_eq!(path("http://localhost:8000/a/b"), "http://localhost:8000/a/b/");
        let endpoint = ResolvedEndpoint::new("http://localhost:8000").unwrap();
        assert_eq!(endpoint.host(), "localhost:8000");
        for (bad, why) in [
            ("ftp://example.com", "http:// or https://"),
            ("example.com", "http:// or https://"),
            ("https://example.com?x=1", "query"),
            ("https://example.com/custom#top", "fragment"),
            ("https://user:pw@example.com", "user name"),
            ("https://exa mple.com", "not a valid URL"),
        ] {
            let error = ResolvedEndpoint::new(bad).unwrap_err();
            assert!(error.contains(why) && error.contains(&redact_url(bad)), "{bad}: {error}");
        }
    }

    #[test]
    fn host_prefixes_go_in_front_of_the_host_and_labels_are_checked() {
        let endpoint = ResolvedEndpoint::new("https://svc.us-east-1.amazonaws.com/base").unwrap();
        let prefix = host_prefix(&[
            HostPrefixPart::Label { member: "AccountId", value: "123456789012" },
            HostPrefixPart::Text(".data-"),
        ])
        .unwrap();
        let (uri, host) = endpoint.with_host_prefix(&prefix).unwrap();
        assert_eq!(uri, "https://123456789012.data-svc.us-east-1.amazonaws.com/base/");
        assert_eq!(host, "123456789012.data-svc.us-east-1.amazonaws.com");

        for bad in ["", "a.b", "evil.com/", "-x", "a b", &"x".repeat(64), "ünï"] {
            let error = host_prefix(&[
                HostPrefixPart::Label { member: "Name", value: bad },
                HostPrefixPart::Text("."),
                HostPrefixPart::Label { member: "Other", value: "ok-1" },
            ])
            .unwrap_err();
            assert_eq!(error.violations().len(), 1, "{bad:?}");
            assert_eq!(error.violations()[0].path(), "Name");
            assert!(error.to_string().contains("host name"), "{error}");
        }
        assert_eq!(host_prefix(&[HostPrefixPart::Label { member: "N", value: &"x".repeat(63) }]).unwrap().len(), 63);
    }

    #[test]
    fn the_pattern_follows_the_partition_and_refuses_what_it_cannot_find() {
        let pattern = PatternEndpoints { endpoint_prefix: "svc" };
        let base = EndpointConfig::default().resolve("us-east-1".into(), None, "SVC").unwrap();
        let url = |settings: &EndpointSettings| pattern.resolve(settings, None, &[]).map(|e| e.uri().to_string());
        assert_eq!(url(&base).unwrap(), "https://svc.us-east-1.amazonaws.com/");
        let china = EndpointSettings { region: "cn-north-1".into(), ..base.clone() };
        assert_eq!(url(&china).unwrap(), "https://svc.cn-north-1.amazonaws.com.cn/");
        let custom = EndpointSettings { endpoint_url: Some("http://localhost:1/x".into()), ..base.clone() };
        assert_eq!(url(&custom).unwrap(), "http://localhost:1/x/");
        let fips = EndpointSettings { use_fips: true, ..base.clone() };
        let error = url(&fips).unwrap_err();
        assert!(
            error.contains("FIPS endpoints were asked for") && error.contains("AWS_USE_FIPS_ENDPOINT=false"),
            "{error}"
        );
        let dual = EndpointSettings { use_dual_stack: true, ..base.clone() };
        assert!(url(&dual).unwrap_err().contains("Config::use_dual_stack(false)"));
        // With a URL already set, the error must not send the user to set one: only the switch helps.
        let fips_and_url = EndpointSettings { use_fips: true, ..custom };
        let error = url(&fips_and_url).unwrap_err();
        assert!(error.contains("`http://localhost:1/x`") && error.contains("Config::use_fips(false)"), "{error}");
        assert!(!error.contains("set the endpoint URL"), "{error}");
        assert_eq!(
            default_endpoint("codepipeline", "cn-north-1").unwrap(),
            "https://codepipeline.cn-north-1.amazonaws.com.cn"
        );
        // Every partition's own suffix, from the table, not only `aws` and `aws-cn`.
        assert_eq!(default_endpoint("svc", "us-iso-east-1").unwrap(), "https://svc.us-iso-east-1.c2s.ic.gov");
        assert_eq!(default_endpoint("svc", "us-isob-east-1").unwrap(), "https://svc.us-isob-east-1.sc2s.sgov.gov");
        assert_eq!(default_endpoint("svc", "us-gov-west-1").unwrap(), "https://svc.us-gov-west-1.amazonaws.com");
        let hostile = EndpointSettings { region: "attacker.example/".into(), ..base };
        let error = url(&hostile).unwrap_err();
        assert!(error.contains("not a valid region name"), "{error}");
    }
}
