//! AWS credentials and the providers that find them (static, environment, shared credentials file).
//!
//! A [`Credentials`] value is what the SigV4 signer in `crate::runtime::sigv4` needs.
//! Anything implementing [`ProvideCredentials`] can hand them out, so callers can plug in
//! their own source (STS, instance roles, a secrets manager) without this crate knowing
//! about it. [`DefaultCredentialsChain`] covers the two sources every AWS tool agrees on:
//! the `AWS_*` environment variables, then the shared credentials file.
//!
//! Secrets never leave through `Debug`, `Display` or error messages: the secret key and
//! the session token print as `** redacted **`, and errors name the source, variable,
//! file, profile or line number that was wrong, never a value.
//!
//! Environment lookups go through [`Environment`], so tests (and embedders) can supply
//! their own variables instead of mutating the process environment, which is shared by
//! every thread of the process.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

/// What `Debug` prints in place of a secret.
const REDACTED: &str = "** redacted **";

/// An AWS access key pair, with an optional session token and expiry.
///
/// `Debug` shows at most the first four characters of the access key id (which only
/// identify the key type, e.g. `AKIA` or `ASIA`) and never the secret or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Creates credentials from an access key id, a secret access key and, for temporary
    /// credentials, a session token.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
        }
    }

    /// Returns these credentials marked as valid until `expiry` (temporary credentials).
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The access key id (not secret on its own, but still kept out of `Debug`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials, if any.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When these credentials stop being valid, if the source said so.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// Whether these credentials have an expiry at or before `now`.
    ///
    /// Credentials without an expiry never expire.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        self.expiry.is_some_and(|expiry| expiry <= now)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Real access key ids are 16 to 128 characters; their first four only tell the key
        // type, which helps debugging. Shorter (test or malformed) ids are hidden entirely
        // so that the prefix can never be most of the value.
        let akid = if self.access_key_id.len() >= 16 && self.access_key_id.is_char_boundary(4) {
            format!("{}{}", &self.access_key_id[..4], REDACTED)
        } else {
            REDACTED.to_owned()
        };
        f.debug_struct("Credentials")
            .field("access_key_id", &akid)
            .field("secret_access_key", &REDACTED)
            .field("session_token", &self.session_token.as_ref().map(|_| REDACTED))
            .field("expiry", &self.expiry)
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
    /// A user-supplied provider failed (e.g. an STS call).
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
/// ProvideCredentials>`) and needs no async runtime or macro crate. Implementations
/// that refresh temporary credentials should cache them and only call out when they
/// are close to [`Credentials::expiry`].
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
    /// The process environment. Variables that are unset, empty or not valid Unicode
    /// count as absent.
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

    /// The value of `name`, treating an empty value as unset (as the AWS CLI does).
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.lookup {
            Some(lookup) => lookup(name),
            None => std::env::var(name).ok(),
        };
        value.filter(|v| !v.is_empty())
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

/// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`.
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
            (Some(akid), Some(secret)) => Ok(Credentials::new(akid, secret, self.env.get("AWS_SESSION_TOKEN"))),
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

/// Reads a profile from the shared credentials file.
///
/// The file is the `path` override, else `AWS_SHARED_CREDENTIALS_FILE` (a leading `~/`
/// is expanded), else `~/.aws/credentials` with `~` taken from `HOME`, or `USERPROFILE`
/// on systems (Windows) that do not set `HOME`. The profile is the `profile` override,
/// else `AWS_PROFILE`, else `default`. Keys read: `aws_access_key_id`,
/// `aws_secret_access_key` and optional `aws_session_token`.
///
/// A missing file, or a missing `default` profile when no profile was asked for, is
/// [`CredentialsErrorKind::NotFound`]; a profile that was asked for but is absent, or a
/// profile without keys, is [`CredentialsErrorKind::InvalidConfiguration`].
///
/// The file is small and read with blocking I/O inside the future; this keeps the
/// runtime free of an async-runtime dependency.
#[derive(Clone, Debug, Default)]
pub struct ProfileFileCredentials {
    env: Environment,
    path: Option<PathBuf>,
    profile: Option<String>,
}

impl ProfileFileCredentials {
    /// Locates the file and profile through the process environment.
    pub fn new() -> Self {
        Self::with_env(Environment::process())
    }

    /// Locates the file and profile through `env` instead of the process environment.
    pub fn with_env(env: Environment) -> Self {
        Self { env, path: None, profile: None }
    }

    /// Reads this file instead of the one the environment points to.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this profile instead of `AWS_PROFILE` / `default`.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    fn home(&self) -> Option<String> {
        self.env.get("HOME").or_else(|| self.env.get("USERPROFILE"))
    }

    /// The file this provider reads, or why it cannot tell.
    pub fn resolve_path(&self) -> Result<PathBuf, CredentialsError> {
        if let Some(path) = &self.path {
            return Ok(path.clone());
        }
        if let Some(path) = self.env.get("AWS_SHARED_CREDENTIALS_FILE") {
            if let Some(rest) = path.strip_prefix("~/") {
                let home = self.home().ok_or_else(|| {
                    CredentialsError::invalid_configuration(
                        "profile file: AWS_SHARED_CREDENTIALS_FILE starts with ~/ \
                         but neither HOME nor USERPROFILE is set",
                    )
                })?;
                return Ok(Path::new(&home).join(rest));
            }
            return Ok(PathBuf::from(path));
        }
        match self.home() {
            Some(home) => Ok(Path::new(&home).join(".aws").join("credentials")),
            None => Err(CredentialsError::not_found(
                "profile file: neither AWS_SHARED_CREDENTIALS_FILE, HOME nor USERPROFILE \
                 is set, so there is no credentials file to read",
            )),
        }
    }

    /// The profile this provider reads, and whether it was chosen explicitly.
    fn resolve_profile(&self) -> (String, bool) {
        match self.profile.clone().or_else(|| self.env.get("AWS_PROFILE")) {
            Some(profile) => (profile, true),
            None => ("default".to_owned(), false),
        }
    }

    /// The synchronous lookup behind [`ProvideCredentials`].
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let path = self.resolve_path()?;
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(CredentialsError::not_found(format!("profile file: {} does not exist", path.display())))
            }
            Err(e) => {
                return Err(CredentialsError::new(
                    CredentialsErrorKind::Io,
                    format!("profile file: cannot read {}: {e}", path.display()),
                ))
            }
        };
        let (profile, explicit) = self.resolve_profile();
        credentials_from_profile_text(&text, &path, &profile, explicit)
    }
}

impl ProvideCredentials for ProfileFileCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}

/// Keys of profiles that get credentials some other way, which this module does not
/// implement; mentioning them turns "no aws_access_key_id" into an actionable message.
const UNSUPPORTED_PROFILE_KEYS: &[&str] =
    &["role_arn", "credential_process", "sso_session", "sso_start_url", "web_identity_token_file"];

/// Picks `profile` out of credentials-file `text` (read from `path`, named in errors).
fn credentials_from_profile_text(
    text: &str,
    path: &Path,
    profile: &str,
    explicit: bool,
) -> Result<Credentials, CredentialsError> {
    let file = path.display();
    let profiles = parse_profiles(text).map_err(|(line, problem)| {
        CredentialsError::invalid_configuration(format!("profile file: {file} line {line}: {problem}"))
    })?;
    let Some(section) = profiles.get(profile) else {
        let message = format!("profile file: profile [{profile}] not found in {file}");
        return Err(if explicit {
            CredentialsError::invalid_configuration(message)
        } else {
            CredentialsError::not_found(message)
        });
    };
    let missing = |key: &str| {
        let hint = UNSUPPORTED_PROFILE_KEYS
            .iter()
            .find(|k| section.contains_key(**k))
            .map(|k| format!(" (it sets {k}, which this client does not support)"))
            .unwrap_or_default();
        CredentialsError::invalid_configuration(format!(
            "profile file: profile [{profile}] in {file} has no {key}{hint}"
        ))
    };
    let akid = section.get("aws_access_key_id").ok_or_else(|| missing("aws_access_key_id"))?;
    let secret = section.get("aws_secret_access_key").ok_or_else(|| missing("aws_secret_access_key"))?;
    Ok(Credentials::new(akid.clone(), secret.clone(), section.get("aws_session_token").cloned()))
}

/// Sections of an INI file: profile name -> (lowercased key -> value).
type Profiles = HashMap<String, HashMap<String, String>>;

/// Parses the credentials-file dialect of INI.
///
/// Blank lines and lines starting with `#` or `;` are ignored; `[name]` opens a section
/// (a trailing comment is allowed); `key = value` sets a key, with whitespace around
/// both trimmed and a `#` or `;` that follows whitespace starting a comment. Keys are
/// matched case-insensitively. A section that appears twice is merged, later keys
/// winning; empty values count as absent. Indented lines are read like any other,
/// so AWS's nested sub-properties become ordinary keys, which is harmless here since
/// only the three credential keys are looked up.
///
/// On error returns the 1-based line number and what is wrong with it, never the line
/// itself, which may hold a secret.
fn parse_profiles(text: &str) -> Result<Profiles, (usize, &'static str)> {
    let mut profiles = Profiles::new();
    let mut current: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let Some(end) = rest.find(']') else {
                return Err((line_no, "section header has no closing ']'"));
            };
            let after = rest[end + 1..].trim_start();
            if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
                return Err((line_no, "unexpected text after section header"));
            }
            let name = rest[..end].trim();
            if name.is_empty() {
                return Err((line_no, "section header has an empty profile name"));
            }
            profiles.entry(name.to_owned()).or_default();
            current = Some(name.to_owned());
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err((line_no, "expected `[profile]`, `key = value` or a comment"));
        };
        let Some(section) = current.as_ref().and_then(|name| profiles.get_mut(name)) else {
            return Err((line_no, "key = value line before any [profile] header"));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err((line_no, "key = value line has an empty key"));
        }
        let value = strip_inline_comment(value).trim();
        if value.is_empty() {
            section.remove(&key.to_ascii_lowercase());
        } else {
            section.insert(key.to_ascii_lowercase(), value.to_owned());
        }
    }
    Ok(profiles)
}

/// Cuts a value at a `#` or `;` preceded by whitespace. Access keys, secret keys and
/// session tokens are base64-like and never contain whitespace, so this cannot cut one.
fn strip_inline_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if (b == b'#' || b == b';') && i > 0 && bytes[i - 1].is_ascii_whitespace() {
            return &value[..i];
        }
    }
    value
}

/// Environment variables first, then the shared credentials file.
///
/// A source with no credentials at all ([`CredentialsErrorKind::NotFound`]) passes to the
/// next one; any other error stops the chain, because a half-configured source usually
/// means the user meant to use it. When no source has credentials the error lists what
/// each one looked for.
#[derive(Clone, Debug, Default)]
pub struct DefaultCredentialsChain {
    environment: EnvironmentCredentials,
    profile_file: ProfileFileCredentials,
}

impl DefaultCredentialsChain {
    /// A chain over the process environment.
    pub fn new() -> Self {
        Self::with_env(Environment::process())
    }

    /// A chain whose sources read variables from `env`.
    pub fn with_env(env: Environment) -> Self {
        Self {
            environment: EnvironmentCredentials::with_env(env.clone()),
            profile_file: ProfileFileCredentials::with_env(env),
        }
    }

    /// Replaces the profile-file source (e.g. to force a profile or a path).
    pub fn profile_file(mut self, profile_file: ProfileFileCredentials) -> Self {
        self.profile_file = profile_file;
        self
    }

    /// The synchronous lookup behind [`ProvideCredentials`].
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::with_capacity(2);
        for attempt in [self.environment.load(), self.profile_file.load()] {
            match attempt {
                Ok(credentials) => return Ok(credentials),
                Err(e) if e.kind() == CredentialsErrorKind::NotFound => tried.push(e.message),
                Err(e) => return Err(e),
            }
        }
        Err(CredentialsError::not_found(format!("no credentials in any source; tried {}", tried.join("; then "))))
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
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

    /// A credentials file in the temp dir, removed on drop.
    struct TempFile(PathBuf);

    impl TempFile {
        fn new(contents: &str) -> Self {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let path = std::env::temp_dir().join(format!(
                "runtime-credentials-test-{}-{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::write(&path, contents).expect("write temp credentials file");
            Self(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
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
    }

    #[test]
    fn environment_provider_explains_missing_and_partial_configuration() {
        let none = EnvironmentCredentials::with_env(Environment::from_pairs(Vec::<(String, String)>::new()))
            .load()
            .unwrap_err();
        assert_eq!(none.kind(), CredentialsErrorKind::NotFound);
        assert!(none.message().contains("AWS_ACCESS_KEY_ID is not set"));

        // An empty value is the same as unset.
        let empty = EnvironmentCredentials::with_env(Environment::from_pairs([
            ("AWS_ACCESS_KEY_ID", ""),
            ("AWS_SECRET_ACCESS_KEY", ""),
        ]))
        .load()
        .unwrap_err();
        assert_eq!(empty.kind(), CredentialsErrorKind::NotFound);

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

    const MULTI_PROFILE: &str = "\
# shared credentials
; another comment style

[default]
aws_access_key_id = AKIADEFAULTEXAMPLE01
aws_secret_access_key=defaultsecret   ; trailing comment

  [ work ]   # comment after header
\taws_access_key_id   =   AKIAWORKEXAMPLE00001
AWS_Secret_Access_Key = work/secret+key
aws_session_token = worktoken==
region = eu-west-1

[assume]
role_arn = arn:aws:iam::123456789012:role/example
source_profile = default
";

    #[test]
    fn profile_parser_handles_sections_comments_and_whitespace() {
        let profiles = parse_profiles(MULTI_PROFILE).unwrap();
        let default = &profiles["default"];
        assert_eq!(default["aws_access_key_id"], "AKIADEFAULTEXAMPLE01");
        assert_eq!(default["aws_secret_access_key"], "defaultsecret");
        let work = &profiles["work"];
        assert_eq!(work["aws_access_key_id"], "AKIAWORKEXAMPLE00001");
        assert_eq!(work["aws_secret_access_key"], "work/secret+key");
        assert_eq!(work["aws_session_token"], "worktoken==");
        assert_eq!(profiles.len(), 3);
    }

    #[test]
    fn profile_parser_merges_repeated_sections() {
        let text = "[a]\naws_access_key_id = one\n[b]\nx = y\n[a]\naws_access_key_id = two\n";
        let profiles = parse_profiles(text).unwrap();
        assert_eq!(profiles["a"]["aws_access_key_id"], "two");
    }

    #[test]
    fn profile_parser_reports_line_numbers_without_content() {
        let cases = [
            ("[default\naws_access_key_id = x\n", 1, "closing ']'"),
            ("[default]\nwJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n", 2, "expected"),
            ("aws_access_key_id = x\n[default]\n", 1, "before any [profile]"),
            ("[default]\n\n = value\n", 3, "empty key"),
            ("[]\n", 1, "empty profile name"),
            ("[a] junk\n", 1, "after section header"),
        ];
        for (text, line, fragment) in cases {
            let (got_line, problem) = parse_profiles(text).unwrap_err();
            assert_eq!(got_line, line, "{text:?}");
            assert!(problem.contains(fragment), "{text:?}: {problem}");
        }
        // Through the provider the message names the file and line, not the content.
        let file = TempFile::new("[default]\nwJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n");
        let err = ProfileFileCredentials::with_env(Environment::from_pairs([(
            "AWS_SHARED_CREDENTIALS_FILE",
            file.0.display().to_string(),
        )]))
        .load()
        .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(err.message().contains(&file.0.display().to_string()));
        assert!(err.message().contains("line 2"));
        assert_no_secret(&err.to_string());
    }

    #[test]
    fn profile_provider_reads_default_and_named_profiles() {
        let file = TempFile::new(MULTI_PROFILE);
        let path = file.0.display().to_string();

        let env = Environment::from_pairs([("AWS_SHARED_CREDENTIALS_FILE", path.clone())]);
        let creds = ready(ProfileFileCredentials::with_env(env.clone()).provide_credentials()).unwrap();
        assert_eq!(creds, Credentials::new("AKIADEFAULTEXAMPLE01", "defaultsecret", None));

        let env_work =
            Environment::from_pairs([("AWS_SHARED_CREDENTIALS_FILE", path), ("AWS_PROFILE", "work".to_owned())]);
        let creds = ProfileFileCredentials::with_env(env_work).load().unwrap();
        assert_eq!(creds, Credentials::new("AKIAWORKEXAMPLE00001", "work/secret+key", Some("worktoken==".to_owned())));

        // The builder override beats AWS_PROFILE.
        let creds = ProfileFileCredentials::with_env(env).profile("work").load().unwrap();
        assert_eq!(creds.access_key_id(), "AKIAWORKEXAMPLE00001");
    }

    #[test]
    fn profile_provider_finds_file_under_home() {
        let home = std::env::temp_dir().join(format!("runtime-credentials-home-{}", std::process::id()));
        std::fs::create_dir_all(home.join(".aws")).unwrap();
        std::fs::write(
            home.join(".aws").join("credentials"),
            "[default]\naws_access_key_id = AKIAHOMEEXAMPLE00001\naws_secret_access_key = s\n",
        )
        .unwrap();
        let home_str = home.display().to_string();
        let via_home = ProfileFileCredentials::with_env(Environment::from_pairs([("HOME", home_str.clone())])).load();
        let via_userprofile =
            ProfileFileCredentials::with_env(Environment::from_pairs([("USERPROFILE", home_str.clone())])).load();
        let via_tilde = ProfileFileCredentials::with_env(Environment::from_pairs([
            ("HOME", home_str),
            ("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials".to_owned()),
        ]))
        .load();
        let _ = std::fs::remove_dir_all(&home);
        for result in [via_home, via_userprofile, via_tilde] {
            assert_eq!(result.unwrap().access_key_id(), "AKIAHOMEEXAMPLE00001");
        }
    }

    #[test]
    fn profile_provider_errors_name_profile_and_file() {
        let file = TempFile::new(MULTI_PROFILE);
        let path = file.0.display().to_string();
        let provider = |profile: &str| {
            ProfileFileCredentials::with_env(Environment::process()).path(&file.0).profile(profile).load().unwrap_err()
        };

        let missing = provider("nope");
        assert_eq!(missing.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(missing.message().contains("profile [nope] not found"));
        assert!(missing.message().contains(&path));

        let assume = provider("assume");
        assert_eq!(assume.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(
            assume.message().contains("profile [assume]")
                && assume.message().contains(&path)
                && assume.message().contains("has no aws_access_key_id")
                && assume.message().contains("role_arn"),
            "{}",
            assume.message()
        );

        let no_secret = TempFile::new("[default]\naws_access_key_id = AKIAONLYKEYEXAMPLE01\n");
        let err = ProfileFileCredentials::with_env(Environment::process()).path(&no_secret.0).load().unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(err.message().contains("profile [default]"));
        assert!(err.message().contains("has no aws_secret_access_key"));
        assert!(err.message().contains(&no_secret.0.display().to_string()));
        assert!(!err.message().contains("AKIAONLYKEYEXAMPLE01"));
    }

    #[test]
    fn profile_provider_not_found_cases() {
        // Implicit default profile missing: not found, so a chain can move on.
        let file = TempFile::new("[other]\naws_access_key_id = a\naws_secret_access_key = b\n");
        let err = ProfileFileCredentials::with_env(Environment::process()).path(&file.0).load().unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
        assert!(err.message().contains("profile [default] not found"));

        let absent = std::env::temp_dir().join("runtime-credentials-test-does-not-exist");
        let err = ProfileFileCredentials::with_env(Environment::process()).path(&absent).load().unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
        assert!(err.message().contains("does not exist"));

        let err = ProfileFileCredentials::with_env(Environment::from_pairs(Vec::<(String, String)>::new()))
            .load()
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
        assert!(err.message().contains("HOME"));
    }

    #[test]
    fn chain_prefers_environment_then_profile_file() {
        let file = TempFile::new(MULTI_PROFILE);
        let path = file.0.display().to_string();
        let both = Environment::from_pairs([
            ("AWS_ACCESS_KEY_ID", AKID.to_owned()),
            ("AWS_SECRET_ACCESS_KEY", SECRET.to_owned()),
            ("AWS_SHARED_CREDENTIALS_FILE", path.clone()),
        ]);
        let creds = ready(DefaultCredentialsChain::with_env(both).provide_credentials()).unwrap();
        assert_eq!(creds.access_key_id(), AKID);

        let file_only = Environment::from_pairs([("AWS_SHARED_CREDENTIALS_FILE", path)]);
        let creds = DefaultCredentialsChain::with_env(file_only).load().unwrap();
        assert_eq!(creds.access_key_id(), "AKIADEFAULTEXAMPLE01");
    }

    #[test]
    fn chain_reports_every_source_it_tried() {
        let absent = std::env::temp_dir().join("runtime-credentials-chain-does-not-exist");
        let env = Environment::from_pairs([("AWS_SHARED_CREDENTIALS_FILE", absent.display().to_string())]);
        let err = DefaultCredentialsChain::with_env(env).load().unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotFound);
        let message = err.to_string();
        assert!(message.contains("environment: AWS_ACCESS_KEY_ID is not set"), "{message}");
        assert!(message.contains("profile file:"), "{message}");
        assert!(message.contains(&absent.display().to_string()), "{message}");
    }

    #[test]
    fn chain_stops_at_a_misconfigured_source() {
        let file = TempFile::new(MULTI_PROFILE);
        let env = Environment::from_pairs([
            ("AWS_ACCESS_KEY_ID", AKID.to_owned()),
            ("AWS_SHARED_CREDENTIALS_FILE", file.0.display().to_string()),
        ]);
        let err = DefaultCredentialsChain::with_env(env).load().unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(err.message().contains("AWS_SECRET_ACCESS_KEY"));
    }
}
