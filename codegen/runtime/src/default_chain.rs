//! The default credentials chain, in the AWS SDKs' order, and [`DefaultSources`]: what
//! `Config::from_env` hands the client so that it can build the chain and find the region once it
//! knows its HTTP client.
//!
//! The chain tries, in order: the environment variables, the profile, web identity from the
//! environment, the container endpoint, IMDS. A source with nothing
//! ([`CredentialsErrorKind::NotFound`]) passes to the next one; any other error stops the chain,
//! because a half-configured source usually means the user meant to use it, and silently using
//! another identity would be worse. When no source has anything, the error lists each source and
//! why it gave nothing. What the chain finds is cached (`credentials_cache`).

use std::fmt;
use std::sync::Arc;

use super::container_credentials::ContainerCredentials;
use super::credentials::{
    CachedCredentials, Credentials, CredentialsError, CredentialsErrorKind, Environment, EnvironmentCredentials,
    ProfileFileCredentials, ProvideCredentials, ProvideCredentialsFuture,
};
use super::http::HttpClient;
use super::imds::ImdsCredentials;
use super::provider_http::ProviderHttp;
use super::region::RegionLookup;
use super::sts::WebIdentityCredentials;

/// The environment variables, then the profile files, web identity, the container endpoint and IMDS;
/// see the [module documentation](self).
///
/// Cheap to clone: clones share the cache.
#[derive(Clone)]
pub struct DefaultCredentialsChain {
    settings: Settings,
    cached: CachedCredentials,
}

#[derive(Clone, Debug)]
struct Settings {
    env: Environment,
    profile_file: Option<ProfileFileCredentials>,
    profile: Option<String>,
    http: ProviderHttp,
    region: Option<String>,
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain")
            .field("env", &self.settings.env)
            .field("profile", &self.settings.profile)
            .field("region", &self.settings.region)
            .finish_non_exhaustive()
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultCredentialsChain {
    /// A chain over the process environment.
    pub fn new() -> Self {
        Self::with_env(Environment::process())
    }

    /// A chain whose sources read variables from `env`.
    pub fn with_env(env: Environment) -> Self {
        Settings { env, profile_file: None, profile: None, http: ProviderHttp::built_in(), region: None }.build()
    }

    /// Replaces the profile source (e.g. to read other files).
    pub fn profile_file(mut self, profile_file: ProfileFileCredentials) -> Self {
        self.settings.profile_file = Some(profile_file);
        self.settings.build()
    }

    /// Uses this profile, as the CLI's `--profile` does: the environment's keys are then skipped,
    /// since naming a profile says which identity to use.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.settings.profile = Some(profile.into());
        self.settings.build()
    }

    /// Calls STS, IMDS and the container endpoint through `client` instead of the built-in one.
    pub fn http_client(self, client: Arc<dyn HttpClient>) -> Self {
        self.provider_http(ProviderHttp::new(client))
    }

    pub(crate) fn provider_http(mut self, http: ProviderHttp) -> Self {
        self.settings.http = http;
        self.settings.build()
    }

    /// Calls STS in this region (the client's); else the variables' or the profile's, else `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.settings.region = Some(region.into());
        self.settings.build()
    }
}

impl Settings {
    fn build(self) -> DefaultCredentialsChain {
        let Settings { env, profile_file, profile, http, region } = &self;
        let mut profile_file = profile_file.clone().unwrap_or_else(|| ProfileFileCredentials::with_env(env.clone()));
        profile_file = profile_file.provider_http(http.clone());
        if let Some(name) = profile {
            profile_file = profile_file.profile(name.clone());
        }
        if let Some(region) = region {
            profile_file = profile_file.region(region.clone());
        }
        let mut sources: Vec<Box<dyn ProvideCredentials>> = Vec::with_capacity(5);
        if profile.is_none() {
            sources.push(Box::new(EnvironmentCredentials::with_env(env.clone())));
        }
        sources.push(Box::new(profile_file));
        let mut web_identity = WebIdentityCredentials::new(env.clone(), http.clone(), region.clone());
        if let Some(name) = profile {
            web_identity = web_identity.profile(name.clone());
        }
        sources.push(Box::new(web_identity));
        sources.push(Box::new(ContainerCredentials::new(env.clone(), http.clone())));
        sources.push(Box::new(ImdsCredentials::new(env, http.clone())));
        let cached = CachedCredentials::new(Chain { sources });
        DefaultCredentialsChain { settings: self, cached }
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        self.cached.provide_credentials()
    }
}

/// The sources in order, without a cache.
#[derive(Debug)]
struct Chain {
    sources: Vec<Box<dyn ProvideCredentials>>,
}

impl Chain {
    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut looked = Vec::with_capacity(self.sources.len());
        for source in &self.sources {
            match source.provide_credentials().await {
                Ok(credentials) => return Ok(credentials),
                Err(e) if e.kind() == CredentialsErrorKind::NotFound => looked.push(e.message().to_owned()),
                Err(e) => return Err(e),
            }
        }
        Err(CredentialsError::not_found(format!("no credentials in any source; looked at: {}", looked.join("; "))))
    }
}

impl ProvideCredentials for Chain {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// The places `Config::from_env` reads region and credentials from: an environment and optionally
/// a profile chosen in code (the CLI's `--profile`).
///
/// The region from the variables and the profile is read at once (it is a file read), so
/// `Config::get_region` can show it; the client resolves the rest when it is built.
#[derive(Clone, Debug)]
pub struct DefaultSources {
    env: Environment,
    profile: Option<String>,
    region: RegionLookup,
}

impl DefaultSources {
    /// The sources `env` describes.
    pub fn new(env: Environment) -> Self {
        let region = RegionLookup::without_imds(&env, None);
        DefaultSources { env, profile: None, region }
    }

    /// Uses this profile for both the region and the credentials; see [`DefaultCredentialsChain::profile`].
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        let profile = profile.into();
        self.region = RegionLookup::without_imds(&self.env, Some(&profile));
        self.profile = Some(profile);
        self
    }

    /// The environment the sources read.
    pub fn env(&self) -> &Environment {
        &self.env
    }

    /// The profile chosen in code, if any (else `AWS_PROFILE`, else `default` applies).
    pub fn profile_name(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    /// The region from the variables or the profile, if they name one.
    pub fn region(&self) -> Option<&str> {
        self.region.region()
    }

    /// The region, asking IMDS if nothing else names one (blocking, bounded: see `region`).
    pub fn resolve_region(&self, http: ProviderHttp) -> Result<String, String> {
        self.region.resolve_blocking(&self.env, http)
    }

    /// The credentials chain, sending through `http` and calling STS in `region`.
    pub fn credentials(&self, http: ProviderHttp, region: &str) -> DefaultCredentialsChain {
        let mut chain = DefaultCredentialsChain::with_env(self.env.clone()).provider_http(http).region(region);
        if let Some(profile) = &self.profile {
            chain = chain.profile(profile.clone());
        }
        chain
    }
}
