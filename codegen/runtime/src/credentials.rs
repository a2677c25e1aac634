//! AWS credentials, the [`ProvideCredentials`] trait every source implements, the [`Environment`]
//! providers read, and the environment-variable source.
//!
//! A [`Credentials`] value is what the SigV4 signer in `crate::runtime::sigv4` needs. Anything
//! implementing [`ProvideCredentials`] can hand them out, so callers can plug in their own source.
//! The sources the AWS SDKs know each live in a module of their own, and
//! [`DefaultCredentialsChain`] (`default_chain`) tries them in the SDKs' order:
//!
//! 1. the `AWS_*` environment variables ([`EnvironmentCredentials`], here);
//! 2. the profile in `~/.aws/config` and `~/.aws/credentials` (`ProfileFileCredentials`,
//!    `profile_credentials`, over `profile_file`): static keys, `credential_process`
//!    (`credential_process`), roles assumed through STS and web identity (`sts`);
//! 3. web identity from `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` (`sts`);
//! 4. the ECS or EKS container endpoint (`container_credentials`);
//! 5. the EC2 instance metadata service, IMDSv2 (`imds`);
//!
//! and caches what they give until shortly before it expires (`credentials_cache`).
//!
//! Secrets never leave through `Debug`, `Display` or error messages: the secret key and the session
//! token print as `** redacted **`, and errors name the source, variable, file, profile or line
//! number that was wrong, never a value.
//!
//! Environment lookups go through [`Environment`], so tests (and embedders) can supply their own
//! variables instead of mutating the process environment, which is shared by every thread of the
//! process.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

/// What `Debug` prints in place of a secret.
const REDACTED: &str = "** redacted **";

/// An AWS access key pair, with an optional session token and expiry.
///
/// `Debug` shows at most the first four characters of the access key id (which only
/// identify the key type, e.g. `AKIA` or `ASIA`) and never the secret or the token.
///
/// Cloning is cheap (the values are shared, not copied): a client takes a clone for every attempt.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials(Arc<CredentialsValues>);

#[derive(Clone, PartialEq, Eq)]
struct CredentialsValues {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    account_id: Option<String>,
}

impl Credentials {
    /// Creates credentials from an access key id, a secret access key and, for temporary
    /// credentials, a session token.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self(Arc::new(CredentialsValues {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
            account_id: None,
        }))
    }

    /// Returns these credentials marked as belonging to this AWS account (12 digits), which
    /// account-based endpoints use (DynamoDB's `{account}.ddb.{region}.amazonaws.com`).
    pub fn with_account_id(mut self, account_id: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.0).account_id = Some(account_id.into());
        self
    }

    /// The AWS account the credentials belong to, when the source said (not a secret).
    pub fn account_id(&self) -> Option<&str> {
        self.0.account_id.as_deref()
    }

    /// Returns these credentials marked as valid until `expiry` (temporary credentials).
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        Arc::make_mut(&mut self.0).expiry = Some(expiry);
        self
    }

    /// The access key id (not secret on its own, but still kept out of `Debug`).
    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.0.secret_access_key
    }

    /// The session token of temporary credentials, if any.
    pub fn session_token(&self) -> Option<&str> {
        self.0.session_token.as_deref()
    }

    /// When these credentials stop being valid, if the source said so.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.0.expiry
    }

    /// Whether these credentials have an expiry at or before `now`.
    ///
    /// Credentials without an expiry never expire.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        self.0.expiry.is_some_and(|expiry| expiry <= now)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Real access key ids are 16 to 128 characters; their first four only tell the key
        // type, which helps debugging. Shorter (test or malformed) ids are hidden entirely
        // so that the prefix can never be most of the value.
        let values = &*self.0;
        let akid = if values.access_key_id.len() >= 16 && values.access_key_id.is_char_boundary(4) {
            format!("{}{}", &values.access_key_id[..4], REDACTED)
        } else {
            REDACTED.to_owned()
        };
        f.debug_struct("Credentials")
            .field("access_key_id", &akid)
            .field("secret_access_key", &REDACTED)
            .field("session_token", &values.session_token.as_ref().map(|_| REDACTED))
            .field("expiry", &values.expiry)
            .field("account_id", &values.account_id)
            .finish()
    }
}

/// What kind of failure a [`CredentialsError`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The source has no credentials at all; a chain moves on to its next source.
    NotFound,
    /// The source is configured but wrongly (a variable or key is missing, a file does not
    /// parse, a named profile does not exist). A chain stops here rather than silently
    /// using another identity.
    InvalidConfiguration,
    /// A file exists but could not be read.
    Io,
    /// A source failed: an HTTP error or unreadable answer from STS, IMDS or the container
    /// endpoint, a `credential_process` that failed, or a user-supplied provider's own failure.
    ProviderError,
}

/// Why credentials could not be provided.
///
/// The message names the source and the variable, file, profile or line involved; it
/// never contains a key or token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
}

impl CredentialsError {
    /// Creates an error of the given kind. `message` must not contain secret values.
    pub fn new(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }

    /// The source has no credentials; see [`CredentialsErrorKind::NotFound`].
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::NotFound, message)
    }

    /// The source is misconfigured; see [`CredentialsErrorKind::InvalidConfiguration`].
    pub fn invalid_configuration(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::InvalidConfiguration, message)
    }

    /// A user-supplied provider failed; see [`CredentialsErrorKind::ProviderError`].
    pub fn provider_error(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::ProviderError, message)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// The human-readable explanation.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not load AWS credentials: {}", self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// The future returned by [`ProvideCredentials::provide_credentials`].
pub type ProvideCredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of AWS credentials.
///
/// The method returns a boxed future so the trait stays object safe (`Arc<dyn
/// ProvideCredentials>`) and needs no macro crate. A provider that calls out for temporary
/// credentials can be wrapped in [`CachedCredentials`], which keeps them until shortly before
/// [`Credentials::expiry`]; [`DefaultCredentialsChain`] does so already.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Produces credentials, or explains why none are available.
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_>;
}

/// Fixed credentials provide themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

/// Where providers read environment variables from.
///
/// [`Environment::process`] reads the real process environment; [`Environment::from_fn`]
/// and [`Environment::from_pairs`] let tests and embedders supply variables without
/// touching it.
#[derive(Clone)]
pub struct Environment {
    /// `None` reads the process environment.
    lookup: Option<Arc<LookupFn>>,
}

/// A variable lookup supplied instead of the process environment.
type LookupFn = dyn Fn(&str) -> Option<String> + Send + Sync;

impl Environment {
    /// The process environment. Variables that are unset, empty, all whitespace or not valid
    /// Unicode count as absent.
    pub fn process() -> Self {
        Self { lookup: None }
    }

    /// Variables come from `lookup`, which returns `None` for an unset variable.
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self { lookup: Some(Arc::new(lookup)) }
    }

    /// Exactly these variables, and no others.
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let map: HashMap<String, String> = pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        Self::from_fn(move |name| map.get(name).cloned())
    }

    /// The value of `name`, treating an empty or all-whitespace value as unset (as the AWS CLI does
    /// with empty ones: `AWS_REGION=" "` names no region, it does not name the region `""`).
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.lookup {
            Some(lookup) => lookup(name),
            None => std::env::var(name).ok(),
        };
        value.filter(|v| !v.trim().is_empty())
    }
}

impl Default for Environment {
    fn default() -> Self {
        Self::process()
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print values: the environment holds the secrets this module guards.
        match self.lookup {
            None => f.write_str("Environment(process)"),
            Some(_) => f.write_str("Environment(custom)"),
        }
    }
}

/// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN` and
/// `AWS_ACCOUNT_ID`.
///
/// Neither key set: [`CredentialsErrorKind::NotFound`]. Only one of the two set:
/// [`CredentialsErrorKind::InvalidConfiguration`], naming the missing variable.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentCredentials {
    env: Environment,
}

impl EnvironmentCredentials {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::with_env(Environment::process())
    }

    /// Reads variables from `env` instead of the process environment.
    pub fn with_env(env: Environment) -> Self {
        Self { env }
    }

    /// The synchronous lookup behind [`ProvideCredentials`].
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        const AKID: &str = "AWS_ACCESS_KEY_ID";
        const SECRET: &str = "AWS_SECRET_ACCESS_KEY";
        match (self.env.get(AKID), self.env.get(SECRET)) {
            (Some(akid), Some(secret)) => {
                let credentials = Credentials::new(akid, secret, self.env.get("AWS_SESSION_TOKEN"));
                Ok(match self.env.get("AWS_ACCOUNT_ID") {
                    Some(account_id) => credentials.with_account_id(account_id),
                    None => credentials,
                })
            }
            (None, None) => Err(CredentialsError::not_found(format!("environment: {AKID} is not set"))),
            (Some(_), None) => {
                Err(CredentialsError::invalid_configuration(format!("environment: {AKID} is set but {SECRET} is not")))
            }
            (None, Some(_)) => {
                Err(CredentialsError::invalid_configuration(format!("environment: {SECRET} is set but {AKID} is not")))
            }
        }
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}

/// What to pass to `AssumeRole`.
#[derive(Clone, PartialEq, Eq)]
pub struct AssumeRoleParams {
    /// The role's ARN.
    pub role_arn: String,
    /// `RoleSessionName`; the crate's name and the time when `None`.
    pub session_name: Option<String>,
    /// `ExternalId`, when the role's trust policy asks for one.
    pub external_id: Option<String>,
    /// `DurationSeconds`; STS's default (one hour) when `None`.
    pub duration_seconds: Option<u32>,
}

impl fmt::Debug for AssumeRoleParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The external ID is a shared secret between the role's owner and whoever may assume it.
        f.debug_struct("AssumeRoleParams")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("external_id", &self.external_id.as_ref().map(|_| REDACTED))
            .field("duration_seconds", &self.duration_seconds)
            .finish()
    }
}

impl AssumeRoleParams {
    /// Assumes `role_arn` with STS's defaults.
    pub fn new(role_arn: impl Into<String>) -> Self {
        AssumeRoleParams { role_arn: role_arn.into(), session_name: None, external_id: None, duration_seconds: None }
    }
}

pub use super::credentials_cache::CachedCredentials;
pub use super::default_chain::DefaultCredentialsChain;
#[cfg(feature = "credentials-profile")]
pub use super::profile_credentials::ProfileFileCredentials;

/// A credential source that is a Cargo feature of this crate, so a build may leave it out (the
/// environment variables are always there).
///
/// Where the environment or a profile asks for a source this build lacks, the chain stops with an
/// [`InvalidConfiguration`](CredentialsErrorKind::InvalidConfiguration) error naming the source and
/// its feature rather than passing over it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OptionalSource {
    /// Credentials a profile of the shared files names (`credentials-profile`).
    Profile,
    /// `credential_process` (`credentials-process`).
    Process,
    /// STS: assumed roles and web identity (`credentials-sts`).
    Sts,
    /// The container credentials endpoint (`credentials-container`).
    Container,
    /// The EC2 instance metadata service (`credentials-imds`).
    Imds,
}

impl OptionalSource {
    /// Every optional source, in the chain's order.
    pub const ALL: [OptionalSource; 5] = [
        OptionalSource::Profile,
        OptionalSource::Process,
        OptionalSource::Sts,
        OptionalSource::Container,
        OptionalSource::Imds,
    ];

    /// The Cargo feature that builds the source in, the same in this crate and in generated crates.
    pub fn feature(self) -> &'static str {
        match self {
            OptionalSource::Profile => "credentials-profile",
            OptionalSource::Process => "credentials-process",
            OptionalSource::Sts => "credentials-sts",
            OptionalSource::Container => "credentials-container",
            OptionalSource::Imds => "credentials-imds",
        }
    }

    /// What the source is, for error messages.
    pub fn description(self) -> &'static str {
        match self {
            OptionalSource::Profile => "credentials from profiles",
            OptionalSource::Process => "credential_process",
            OptionalSource::Sts => "STS (assumed roles and web identity)",
            OptionalSource::Container => "the container credentials endpoint",
            OptionalSource::Imds => "the EC2 instance metadata service (IMDS)",
        }
    }

    /// Whether this build has the source.
    pub fn is_built_in(self) -> bool {
        match self {
            OptionalSource::Profile => cfg!(feature = "credentials-profile"),
            OptionalSource::Process => cfg!(feature = "credentials-process"),
            OptionalSource::Sts => cfg!(feature = "credentials-sts"),
            OptionalSource::Container => cfg!(feature = "credentials-container"),
            OptionalSource::Imds => cfg!(feature = "credentials-imds"),
        }
    }
}

/// The error for configuration that needs sources this build lacks: `asked_by` says what asks
/// (`profile [ci] sets credential_process`), and the message names each missing source and feature.
/// `sources` that are built in are left out of the message.
pub(crate) fn sources_left_out(asked_by: &str, sources: &[OptionalSource]) -> CredentialsError {
    let mut missing: Vec<OptionalSource> = sources.iter().copied().filter(|s| !s.is_built_in()).collect();
    missing.sort_unstable();
    missing.dedup();
    let what: Vec<&str> = missing.iter().map(|s| s.description()).collect();
    let features: Vec<String> = missing.iter().map(|s| format!("`{}`", s.feature())).collect();
    let (noun, verb) = if missing.len() == 1 { ("feature", "it") } else { ("features", "them") };
    CredentialsError::invalid_configuration(format!(
        "{asked_by}, but this client was built without {}: turn {verb} on with the Cargo {noun} {} \
         (of the generated crate, or of smithy-lite-runtime)",
        what.join(" and "),
        features.join(" and "),
    ))
}

/// Reads the credentials of a JSON document in the shape the container endpoint, IMDS and
/// `credential_process` share: `AccessKeyId`, `SecretAccessKey`, the session token under
/// `token_field`, an optional RFC 3339 `Expiration` and an optional `AccountId`.
///
/// Errors name `source` and the missing or malformed field, never a value.
pub fn credentials_from_json(
    document: &serde_json::Value,
    token_field: &str,
    source: &str,
) -> Result<Credentials, CredentialsError> {
    let field = |name: &str| -> Result<Option<&str>, CredentialsError> {
        match document.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(text)) => Ok(Some(text.as_str()).filter(|t| !t.is_empty())),
            Some(_) => Err(CredentialsError::provider_error(format!("{source}: `{name}` is not a string"))),
        }
    };
    let required = |name: &str| {
        field(name)?.ok_or_else(|| CredentialsError::provider_error(format!("{source}: the response has no `{name}`")))
    };
    let mut credentials = Credentials::new(
        required("AccessKeyId")?,
        required("SecretAccessKey")?,
        field(token_field)?.map(str::to_owned),
    );
    if let Some(account_id) = field("AccountId")? {
        credentials = credentials.with_account_id(account_id);
    }
    match field("Expiration")? {
        None => Ok(credentials),
        Some(text) => Ok(credentials.with_expiry(parse_expiry(text, source)?)),
    }
}

/// Reads an RFC 3339 expiry (`2026-01-02T03:04:05Z`); the error names `source`.
pub fn parse_expiry(text: &str, source: &str) -> Result<SystemTime, CredentialsError> {
    super::datetime::DateTime::parse_date_time(text).ok().and_then(|time| SystemTime::try_from(time).ok()).ok_or_else(
        || CredentialsError::provider_error(format!("{source}: the expiration is not an RFC 3339 timestamp")),
    )
}

/// `message` with every occurrence of each non-empty `secret` replaced by `** redacted **`, for
/// text that comes from outside (a service's error message) and might echo what was sent.
pub fn redact_secrets(message: &str, secrets: &[&str]) -> String {
    let mut out = message.to_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(secret, REDACTED);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::{Context, Poll, Waker};
    use std::time::Duration;

    const AKID: &str = "AKIAIOSFODNN7EXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "FwoGZXIvYXdzEXAMPLETOKENvalue==";

    /// The providers here finish on first poll, so one poll with a no-op waker is enough.
    fn ready<T>(future: impl Future<Output = T>) -> T {
        let mut future = std::pin::pin!(future);
        match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(value) => value,
            Poll::Pending => panic!("provider future was not ready on first poll"),
        }
    }

    fn assert_no_secret(text: &str) {
        assert!(!text.contains(SECRET), "secret leaked: {text}");
        assert!(!text.contains(TOKEN), "token leaked: {text}");
        assert!(!text.contains(AKID), "full access key id leaked: {text}");
    }

    #[test]
    fn accessors_return_what_was_given() {
        let expiry = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let creds = Credentials::new(AKID, SECRET, Some(TOKEN.to_owned())).with_expiry(expiry);
        assert_eq!(creds.access_key_id(), AKID);
        assert_eq!(creds.secret_access_key(), SECRET);
        assert_eq!(creds.session_token(), Some(TOKEN));
        assert_eq!(creds.expiry(), Some(expiry));
        assert!(!creds.is_expired_at(expiry - Duration::from_secs(1)));
        assert!(creds.is_expired_at(expiry));
        assert!(!Credentials::new(AKID, SECRET, None).is_expired_at(SystemTime::now()));
    }

    #[test]
    fn debug_redacts_secret_token_and_most_of_the_key_id() {
        let creds = Credentials::new(AKID, SECRET, Some(TOKEN.to_owned()));
        let text = format!("{creds:?}");
        assert_no_secret(&text);
        assert!(text.contains("AKIA** redacted **"), "{text}");
        assert!(text.contains("secret_access_key: \"** redacted **\""), "{text}");
        assert!(text.contains("session_token: Some(\"** redacted **\")"), "{text}");
        // Pretty form, and a short id that must be hidden entirely.
        let short = Credentials::new("AKID", SECRET, None);
        let text = format!("{short:#?}");
        assert!(!text.contains("AKID"), "{text}");
        assert!(!text.contains(SECRET), "{text}");
    }

    #[test]
    fn debug_of_holders_never_shows_secrets() {
        let env = Environment::from_pairs([
            ("AWS_ACCESS_KEY_ID", AKID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", TOKEN),
        ]);
        let provider: Arc<dyn ProvideCredentials> = Arc::new(Credentials::new(AKID, SECRET, Some(TOKEN.to_owned())));
        assert_no_secret(&format!("{provider:?}"));
        assert_no_secret(&format!("{:?}", EnvironmentCredentials::with_env(env.clone())));
        assert_no_secret(&format!("{:?}", DefaultCredentialsChain::with_env(env)));
        assert_no_secret(&format!("{:?}", Some(vec![provider])));
    }

    #[test]
    fn static_credentials_and_wrappers_provide_themselves() {
        let creds = Credentials::new(AKID, SECRET, None);
        assert_eq!(ready(creds.provide_credentials()), Ok(creds.clone()));
        let boxed: Box<dyn ProvideCredentials> = Box::new(creds.clone());
        assert_eq!(ready(boxed.provide_credentials()), Ok(creds.clone()));
        let shared: Arc<dyn ProvideCredentials> = Arc::new(creds.clone());
        assert_eq!(ready(shared.provide_credentials()), Ok(creds));
    }

    #[test]
    fn environment_provider_reads_keys_and_optional_token() {
        let env = Environment::from_pairs([("AWS_ACCESS_KEY_ID", AKID), ("AWS_SECRET_ACCESS_KEY", SECRET)]);
        let creds = ready(EnvironmentCredentials::with_env(env).provide_credentials()).unwrap();
        assert_eq!(creds, Credentials::new(AKID, SECRET, None));

        let env = Environment::from_pairs([
            ("AWS_ACCESS_KEY_ID", AKID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", TOKEN),
        ]);
        let creds = EnvironmentCredentials::with_env(env).load().unwrap();
        assert_eq!(creds.session_token(), Some(TOKEN));
        assert_eq!(creds.account_id(), None);

        let env = Environment::from_pairs([
            ("AWS_ACCESS_KEY_ID", AKID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_ACCOUNT_ID", "123456789012"),
        ]);
        let creds = EnvironmentCredentials::with_env(env).load().unwrap();
        assert_eq!(creds.account_id(), Some("123456789012"));
        assert!(format!("{creds:?}").contains("123456789012"), "the account is not a secret: {creds:?}");
    }

    #[test]
    fn environment_provider_explains_missing_and_partial_configuration() {
        let none = EnvironmentCredentials::with_env(Environment::from_pairs(Vec::<(String, String)>::new()))
            .load()
            .unwrap_err();
        assert_eq!(none.kind(), CredentialsErrorKind::NotFound);
        assert!(none.message().contains("AWS_ACCESS_KEY_ID is not set"));

        // An empty or blank value is the same as unset.
        let empty = EnvironmentCredentials::with_env(Environment::from_pairs([
            ("AWS_ACCESS_KEY_ID", ""),
            ("AWS_SECRET_ACCESS_KEY", ""),
        ]))
        .load()
        .unwrap_err();
        assert_eq!(empty.kind(), CredentialsErrorKind::NotFound);
        let blank = EnvironmentCredentials::with_env(Environment::from_pairs([
            ("AWS_ACCESS_KEY_ID", " "),
            ("AWS_SECRET_ACCESS_KEY", "\t\n"),
        ]))
        .load()
        .unwrap_err();
        assert_eq!(blank.kind(), CredentialsErrorKind::NotFound, "{blank}");

        let only_akid = EnvironmentCredentials::with_env(Environment::from_pairs([("AWS_ACCESS_KEY_ID", AKID)]))
            .load()
            .unwrap_err();
        assert_eq!(only_akid.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(only_akid.message().contains("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"));
        assert_no_secret(&only_akid.to_string());

        let only_secret =
            EnvironmentCredentials::with_env(Environment::from_pairs([("AWS_SECRET_ACCESS_KEY", SECRET)]))
                .load()
                .unwrap_err();
        assert_eq!(only_secret.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(only_secret.message().contains("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"));
        assert_no_secret(&format!("{only_secret} {only_secret:?}"));
    }

    #[test]
    fn json_documents_give_credentials_and_name_what_is_missing() {
        let document = serde_json::json!({
            "AccessKeyId": AKID,
            "SecretAccessKey": SECRET,
            "Token": TOKEN,
            "Expiration": "2030-01-02T03:04:05Z",
        });
        let creds = credentials_from_json(&document, "Token", "test").unwrap();
        assert_eq!(creds.session_token(), Some(TOKEN));
        assert_eq!(creds.expiry(), Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_553_445)));
        assert_eq!(creds.account_id(), None);
        let with_account =
            serde_json::json!({"AccessKeyId": AKID, "SecretAccessKey": SECRET, "AccountId": "123456789012"});
        let creds = credentials_from_json(&with_account, "Token", "test").unwrap();
        assert_eq!(creds.account_id(), Some("123456789012"));

        let missing = credentials_from_json(&serde_json::json!({"AccessKeyId": AKID}), "Token", "test").unwrap_err();
        assert!(missing.message().contains("test: the response has no `SecretAccessKey`"), "{missing}");
        let wrong = credentials_from_json(
            &serde_json::json!({"AccessKeyId": AKID, "SecretAccessKey": SECRET, "Expiration": "soon"}),
            "Token",
            "test",
        )
        .unwrap_err();
        assert!(wrong.message().contains("expiration"), "{wrong}");
        assert_no_secret(&format!("{wrong} {missing:?}"));
    }

    #[test]
    fn redaction_replaces_every_secret() {
        let text = format!("bad token {TOKEN} for key {SECRET}");
        let redacted = redact_secrets(&text, &[TOKEN, SECRET, ""]);
        assert_no_secret(&redacted);
        assert_eq!(redacted, "bad token ** redacted ** for key ** redacted **");
    }
}
