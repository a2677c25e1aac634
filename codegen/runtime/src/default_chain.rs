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
//!
//! Every source but the environment variables is a Cargo feature (`credentials::OptionalSource`).
//! A build without one puts a stand-in in its place that has nothing, unless the environment or the
//! profile asks for that source: then the chain stops with an error naming the source and the
//! feature to turn on.

use std::fmt;
use std::sync::Arc;

#[cfg(not(feature = "credentials-container"))]
use super::absent_sources::ContainerLeftOut;
#[cfg(not(feature = "credentials-imds"))]
use super::absent_sources::ImdsLeftOut;
#[cfg(not(feature = "credentials-profile"))]
use super::absent_sources::ProfileLeftOut;
#[cfg(not(feature = "credentials-sts"))]
use super::absent_sources::WebIdentityLeftOut;
#[cfg(feature = "credentials-container")]
use super::container_credentials::ContainerCredentials;
#[cfg(feature = "credentials-profile")]
use super::credentials::ProfileFileCredentials;
use super::credentials::{
    CachedCredentials, Credentials, CredentialsError, CredentialsErrorKind, Environment, EnvironmentCredentials,
    ProvideCredentials, ProvideCredentialsFuture,
};
use super::http::HttpClient;
#[cfg(feature = "credentials-imds")]
use super::imds::ImdsCredentials;
use super::provider_http::ProviderHttp;
use super::region::RegionLookup;
#[cfg(feature = "credentials-sts")]
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
    #[cfg(feature = "credentials-profile")]
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
        Settings {
            env,
            #[cfg(feature = "credentials-profile")]
            profile_file: None,
            profile: None,
            http: ProviderHttp::built_in(),
            region: None,
        }
        .build()
    }

    /// Replaces the profile source (e.g. to read other files).
    #[cfg(feature = "credentials-profile")]
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
        let mut sources: Vec<Box<dyn ProvideCredentials>> = Vec::with_capacity(5);
        if self.profile.is_none() {
            sources.push(Box::new(EnvironmentCredentials::with_env(self.env.clone())));
        }
        sources.push(self.profile_source());
        sources.push(self.web_identity_source());
        sources.push(self.container_source());
        sources.push(self.imds_source());
        let cached = CachedCredentials::new(Chain { sources });
        DefaultCredentialsChain { settings: self, cached }
    }

    #[cfg(feature = "credentials-profile")]
    fn profile_source(&self) -> Box<dyn ProvideCredentials> {
        let mut profile_file =
            self.profile_file.clone().unwrap_or_else(|| ProfileFileCredentials::with_env(self.env.clone()));
        profile_file = profile_file.provider_http(self.http.clone());
        if let Some(name) = &self.profile {
            profile_file = profile_file.profile(name.clone());
        }
        if let Some(region) = &self.region {
            profile_file = profile_file.region(region.clone());
        }
        Box::new(profile_file)
    }

    #[cfg(not(feature = "credentials-profile"))]
    fn profile_source(&self) -> Box<dyn ProvideCredentials> {
        Box::new(ProfileLeftOut::new(self.env.clone(), self.profile.clone()))
    }

    #[cfg(feature = "credentials-sts")]
    fn web_identity_source(&self) -> Box<dyn ProvideCredentials> {
        let mut web_identity = WebIdentityCredentials::new(self.env.clone(), self.http.clone(), self.region.clone());
        if let Some(name) = &self.profile {
            web_identity = web_identity.profile(name.clone());
        }
        Box::new(web_identity)
    }

    #[cfg(not(feature = "credentials-sts"))]
    fn web_identity_source(&self) -> Box<dyn ProvideCredentials> {
        Box::new(WebIdentityLeftOut::new(self.env.clone()))
    }

    #[cfg(feature = "credentials-container")]
    fn container_source(&self) -> Box<dyn ProvideCredentials> {
        Box::new(ContainerCredentials::new(self.env.clone(), self.http.clone()))
    }

    #[cfg(not(feature = "credentials-container"))]
    fn container_source(&self) -> Box<dyn ProvideCredentials> {
        Box::new(ContainerLeftOut::new(self.env.clone()))
    }

    #[cfg(feature = "credentials-imds")]
    fn imds_source(&self) -> Box<dyn ProvideCredentials> {
        Box::new(ImdsCredentials::new(&self.env, self.http.clone()))
    }

    #[cfg(not(feature = "credentials-imds"))]
    fn imds_source(&self) -> Box<dyn ProvideCredentials> {
        Box::new(ImdsLeftOut)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::OptionalSource;

    /// An environment with no credential variables and this config file (and no credentials file).
    fn with_config(tag: &str, config: &str, extra: &[(&str, &str)]) -> (Environment, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("runtime-chain-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config"), config).unwrap();
        let mut pairs = vec![
            ("AWS_CONFIG_FILE".to_owned(), dir.join("config").display().to_string()),
            ("AWS_SHARED_CREDENTIALS_FILE".to_owned(), dir.join("credentials").display().to_string()),
            ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
        ];
        pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        (Environment::from_pairs(pairs), dir)
    }

    #[cfg(not(all(feature = "credentials-profile", feature = "credentials-process")))]
    #[tokio::test]
    async fn a_profile_with_credential_process_names_the_features_this_build_lacks() {
        let (env, dir) = with_config("process", "[default]\ncredential_process = helper --token s3cr3t\n", &[]);
        let error = DefaultCredentialsChain::with_env(env).provide_credentials().await.unwrap_err();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration, "{error}");
        assert!(error.message().contains("profile [default]") && error.message().contains("credential_process"));
        for source in [OptionalSource::Profile, OptionalSource::Process] {
            let named = error.message().contains(&format!("`{}`", source.feature()));
            assert_eq!(named, !source.is_built_in(), "{source:?}: {error}");
        }
        assert!(!error.message().contains("s3cr3t"), "{error}");
    }

    #[cfg(not(feature = "credentials-sts"))]
    #[tokio::test]
    async fn web_identity_variables_without_sts_name_the_feature() {
        let (env, dir) = with_config(
            "web",
            "[default]\nregion = eu-west-1\n",
            &[("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"), ("AWS_ROLE_ARN", "arn:aws:iam::1:role/r")],
        );
        let error = DefaultCredentialsChain::with_env(env).provide_credentials().await.unwrap_err();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration, "{error}");
        assert!(error.message().contains("`credentials-sts`"), "{error}");
    }

    #[cfg(not(feature = "credentials-container"))]
    #[tokio::test]
    async fn container_variables_without_the_container_source_name_the_feature() {
        let (env, dir) =
            with_config("container", "", &[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x")]);
        let error = DefaultCredentialsChain::with_env(env).provide_credentials().await.unwrap_err();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration, "{error}");
        assert!(error.message().contains("`credentials-container`"), "{error}");
    }

    #[tokio::test]
    async fn with_nothing_configured_every_source_says_why_it_had_nothing() {
        let (env, dir) = with_config("nothing", "[default]\nregion = eu-west-1\n", &[]);
        let error = DefaultCredentialsChain::with_env(env).provide_credentials().await.unwrap_err();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(error.kind(), CredentialsErrorKind::NotFound, "{error}");
        for fragment in ["AWS_ACCESS_KEY_ID", "profile [default]", "AWS_WEB_IDENTITY_TOKEN_FILE", "IMDS"] {
            assert!(error.message().contains(fragment), "{fragment}: {error}");
        }
        // A source left out is listed as such, so "no credentials" never hides a missing feature.
        assert_eq!(error.message().contains("`credentials-imds`"), !OptionalSource::Imds.is_built_in(), "{error}");
    }

    #[cfg(feature = "credentials-profile")]
    #[tokio::test]
    async fn static_keys_in_the_profile_come_before_the_sources_after_it() {
        let (env, dir) = with_config(
            "static",
            "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = S\n",
            &[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x")],
        );
        let credentials = DefaultCredentialsChain::with_env(env).provide_credentials().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(credentials.access_key_id(), "AKIDEXAMPLE");
    }
}
