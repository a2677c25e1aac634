//! The EC2 instance metadata service, IMDSv2: an instance role's credentials ([`ImdsCredentials`])
//! and the instance's region ([`ImdsClient::region`]).
//!
//! Every read first gets a session token (`PUT /latest/api/token` with a TTL header), kept until
//! shortly before its TTL runs out, then sends it in `x-aws-ec2-metadata-token`. Credentials are the
//! role named by `GET /latest/meta-data/iam/security-credentials/`, then that role's document.
//!
//! - The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else `http://169.254.169.254`
//!   (`http://[fd00:ec2::254]` with `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`).
//!   `AWS_EC2_METADATA_DISABLED=true` turns the service off.
//! - Each request has [`IMDS_ATTEMPT_TIMEOUT`] (1 s). A timeout or a refused connection means there
//!   is no metadata service here (not on EC2, or a container whose hop limit stops the token
//!   request): the source has nothing, at once, without retries, so "no credentials anywhere" stays
//!   fast off EC2. An answer that cannot be read (larger than the providers' limit, malformed) is
//!   an error instead: a service is there and failed.
//! - Server errors are tried again (up to [`IMDS_MAX_ATTEMPTS`] times); a `401` means the token
//!   expired and gets a fresh one.
//! - An instance without a role (`404`) has no credentials here, which is not an error.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::credentials::{
    credentials_from_json, Credentials, CredentialsError, Environment, ProvideCredentials, ProvideCredentialsFuture,
};
use super::provider_http::{HttpFailure, ProviderHttp};

/// The limit on each request.
pub const IMDS_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(1);
/// How many times a request that the service answered with a server error is tried.
pub const IMDS_MAX_ATTEMPTS: u32 = 3;
/// The session token lifetime asked for, in seconds (six hours, the service's maximum).
pub const TOKEN_TTL_SECONDS: u64 = 21_600;

const DEFAULT_IPV4_ENDPOINT: &str = "http://169.254.169.254";
const DEFAULT_IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
const TOKEN_PATH: &str = "/latest/api/token";
const TOKEN_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const REGION_PATH: &str = "/latest/meta-data/placement/region";

/// Why a read from the service gave nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImdsError {
    /// No service answered (timeout, connection refused): not on EC2.
    Unreachable(String),
    /// The service answered, but not with what was asked for.
    Failed(String),
}

impl fmt::Display for ImdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImdsError::Unreachable(why) | ImdsError::Failed(why) => f.write_str(why),
        }
    }
}

/// A session token and when to stop using it.
struct Token {
    value: http::HeaderValue,
    renew_at: Instant,
}

/// A client for the metadata service; clones share the session token.
#[derive(Clone)]
pub struct ImdsClient {
    http: ProviderHttp,
    endpoint: String,
    token: Arc<Mutex<Option<Token>>>,
}

impl fmt::Debug for ImdsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImdsClient")
            .field("endpoint", &super::endpoint_config::redact_url(&self.endpoint))
            .finish_non_exhaustive()
    }
}

/// The variables that switch the service off or move it; `None` when it is switched off.
pub fn endpoint_from_env(env: &Environment) -> Result<Option<String>, String> {
    match env.get("AWS_EC2_METADATA_DISABLED").map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("false") => {}
        Some("true") => return Ok(None),
        Some(_) => return Err("AWS_EC2_METADATA_DISABLED must be `true` or `false`".to_owned()),
    }
    if let Some(endpoint) = env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
        let valid = endpoint
            .parse::<http::Uri>()
            .is_ok_and(|uri| matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some());
        if !valid {
            return Err("AWS_EC2_METADATA_SERVICE_ENDPOINT is not an http:// or https:// URL with a host".to_owned());
        }
        // Checked apart from the URL, so that the message need not quote it.
        if endpoint.parse::<http::Uri>().is_ok_and(|uri| uri.authority().is_some_and(|a| a.as_str().contains('@'))) {
            return Err("AWS_EC2_METADATA_SERVICE_ENDPOINT must not hold a user name or password".to_owned());
        }
        return Ok(Some(endpoint.trim_end_matches('/').to_owned()));
    }
    match env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").map(|v| v.to_ascii_lowercase()).as_deref() {
        None | Some("ipv4") => Ok(Some(DEFAULT_IPV4_ENDPOINT.to_owned())),
        Some("ipv6") => Ok(Some(DEFAULT_IPV6_ENDPOINT.to_owned())),
        Some(_) => Err("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE must be `IPv4` or `IPv6`".to_owned()),
    }
}

impl ImdsClient {
    /// A client for the service at `endpoint` (`http://169.254.169.254`).
    pub fn new(endpoint: impl Into<String>, http: ProviderHttp) -> Self {
        ImdsClient { http, endpoint: endpoint.into(), token: Arc::default() }
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    fn request(&self, method: http::Method, path: &str) -> Result<http::Request<Vec<u8>>, ImdsError> {
        let uri: http::Uri = format!("{}{path}", self.endpoint)
            .parse()
            .map_err(|_| ImdsError::Failed(format!("`{path}` does not make a valid URL")))?;
        let mut request = http::Request::new(Vec::new());
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        Ok(request)
    }

    /// Why an exchange gave no response: no service answering is [`ImdsError::Unreachable`], but an
    /// answer that could not be read (too large, malformed) means a service is there and failed.
    fn no_response(&self, failure: &HttpFailure) -> ImdsError {
        match failure {
            HttpFailure::NoClient => ImdsError::Failed(failure.to_string()),
            HttpFailure::Transport(error) if !error.is_retryable() => {
                ImdsError::Failed(format!("its answer could not be read ({failure})"))
            }
            HttpFailure::Transport(_) | HttpFailure::TimedOut(_) => {
                ImdsError::Unreachable(format!("{} did not answer ({failure})", self.endpoint))
            }
        }
    }

    async fn token(&self) -> Result<http::HeaderValue, ImdsError> {
        if let Some(token) = self.lock_token().as_ref().filter(|t| Instant::now() < t.renew_at) {
            return Ok(token.value.clone());
        }
        let mut attempt = 1;
        loop {
            let mut request = self.request(http::Method::PUT, TOKEN_PATH)?;
            request.headers_mut().insert(TOKEN_TTL_HEADER, http::HeaderValue::from(TOKEN_TTL_SECONDS));
            let response = match self.http.send(request, IMDS_ATTEMPT_TIMEOUT).await {
                Ok(response) => response,
                Err(failure) => return Err(self.no_response(&failure)),
            };
            let status = response.status().as_u16();
            if (200..300).contains(&status) {
                let ttl = response
                    .headers()
                    .get(TOKEN_TTL_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    // Never trusted beyond what was asked for: a huge value would overflow `Instant`.
                    .map_or(TOKEN_TTL_SECONDS, |ttl| ttl.min(TOKEN_TTL_SECONDS));
                let text = std::str::from_utf8(response.body()).unwrap_or_default().trim();
                let mut value = http::HeaderValue::from_str(text)
                    .ok()
                    .filter(|_| !text.is_empty())
                    .ok_or_else(|| ImdsError::Failed("the session token it sent is not a valid header value".into()))?;
                value.set_sensitive(true);
                // Renewed a minute early (or at half its life, if shorter), so it never expires in flight.
                let lifetime = Duration::from_secs(ttl);
                let renew_at = Instant::now() + lifetime - Duration::from_secs(60).min(lifetime / 2);
                *self.lock_token() = Some(Token { value: value.clone(), renew_at });
                return Ok(value);
            }
            if status >= 500 && attempt < IMDS_MAX_ATTEMPTS {
                backoff(attempt).await;
                attempt += 1;
                continue;
            }
            return Err(ImdsError::Failed(match status {
                403 => "it refused a session token (HTTP 403): IMDS is turned off for this instance".to_owned(),
                _ => format!("it answered the session token request with HTTP {status}"),
            }));
        }
    }

    fn lock_token(&self) -> std::sync::MutexGuard<'_, Option<Token>> {
        self.token.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads `path`; `Ok(None)` when the service has nothing there (`404`).
    pub async fn get(&self, path: &str) -> Result<Option<String>, ImdsError> {
        let mut attempt = 1;
        loop {
            let token = self.token().await?;
            let mut request = self.request(http::Method::GET, path)?;
            request.headers_mut().insert(TOKEN_HEADER, token);
            let response = match self.http.send(request, IMDS_ATTEMPT_TIMEOUT).await {
                Ok(response) => response,
                Err(failure) => return Err(self.no_response(&failure)),
            };
            match response.status().as_u16() {
                200..=299 => {
                    let text = String::from_utf8(response.into_body())
                        .map_err(|_| ImdsError::Failed(format!("its answer for {path} is not UTF-8")))?;
                    return Ok(Some(text));
                }
                404 => return Ok(None),
                401 if attempt < IMDS_MAX_ATTEMPTS => {
                    // The token expired early (or the service restarted): get another.
                    *self.lock_token() = None;
                }
                500.. if attempt < IMDS_MAX_ATTEMPTS => backoff(attempt).await,
                status => return Err(ImdsError::Failed(format!("it answered {path} with HTTP {status}"))),
            }
            attempt += 1;
        }
    }

    /// The instance's region (`placement/region`).
    pub async fn region(&self) -> Result<String, ImdsError> {
        match self.get(REGION_PATH).await? {
            Some(region) if !region.trim().is_empty() => Ok(region.trim().to_owned()),
            _ => Err(ImdsError::Failed("it has no region for this instance".to_owned())),
        }
    }

    /// The instance role's credentials; `Ok(None)` when no role is attached.
    pub async fn role_credentials(&self) -> Result<Option<Credentials>, ImdsError> {
        let Some(listing) = self.get(ROLE_PATH).await? else {
            return Ok(None);
        };
        let Some(role) = listing.lines().map(str::trim).find(|l| !l.is_empty()) else {
            return Ok(None);
        };
        if !role.bytes().all(|b| b.is_ascii_alphanumeric() || b"+=,.@-_".contains(&b)) {
            return Err(ImdsError::Failed("the role name it sent is not a valid IAM role name".to_owned()));
        }
        let document = self
            .get(&format!("{ROLE_PATH}{role}"))
            .await?
            .ok_or_else(|| ImdsError::Failed(format!("it lists role {role} but has no credentials for it")))?;
        let document = crate::json::from_slice(document.as_bytes())
            .map_err(|_| ImdsError::Failed(format!("the credentials of role {role} are not JSON")))?;
        if let Some(code) = document.get("Code").and_then(|c| c.as_str()).filter(|c| *c != "Success") {
            return Err(ImdsError::Failed(format!("the credentials of role {role} are not available (Code {code})")));
        }
        credentials_from_json(&document, "Token", "IMDS")
            .map(Some)
            .map_err(|e| ImdsError::Failed(e.message().to_owned()))
    }
}

async fn backoff(attempt: u32) {
    tokio::time::sleep(Duration::from_millis(50 * u64::from(attempt))).await;
}

/// The instance role's credentials from IMDS; see the [module documentation](self).
#[derive(Clone, Debug)]
pub struct ImdsCredentials {
    client: Result<Option<ImdsClient>, String>,
}

impl ImdsCredentials {
    /// Configured by `env`'s variables, sending through `http`.
    pub fn new(env: &Environment, http: ProviderHttp) -> Self {
        ImdsCredentials { client: endpoint_from_env(env).map(|e| e.map(|endpoint| ImdsClient::new(endpoint, http))) }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let client = match &self.client {
            Ok(Some(client)) => client,
            Ok(None) => return Err(CredentialsError::not_found("IMDS: turned off by AWS_EC2_METADATA_DISABLED")),
            Err(problem) => return Err(CredentialsError::invalid_configuration(format!("IMDS: {problem}"))),
        };
        match client.role_credentials().await {
            Ok(Some(credentials)) => Ok(credentials),
            Ok(None) => Err(CredentialsError::not_found("IMDS: no IAM role is attached to this instance")),
            Err(ImdsError::Unreachable(why)) => Err(CredentialsError::not_found(format!("IMDS: {why}"))),
            Err(ImdsError::Failed(why)) => {
                Err(CredentialsError::provider_error(format!("IMDS at {}: {why}", client.endpoint())))
            }
        }
    }
}

impl ProvideCredentials for ImdsCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::super::http::{BoxFuture, HttpClient, TransportError};
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Environment {
        Environment::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn the_endpoint_follows_the_variables() {
        assert_eq!(endpoint_from_env(&env(&[])).unwrap().as_deref(), Some("http://169.254.169.254"));
        let ipv6 = env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")]);
        assert_eq!(endpoint_from_env(&ipv6).unwrap().as_deref(), Some("http://[fd00:ec2::254]"));
        let explicit = env(&[
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1234/"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"),
        ]);
        assert_eq!(endpoint_from_env(&explicit).unwrap().as_deref(), Some("http://127.0.0.1:1234"));
        for off in ["true", "TRUE", " True "] {
            assert_eq!(endpoint_from_env(&env(&[("AWS_EC2_METADATA_DISABLED", off)])).unwrap(), None);
        }
        assert!(endpoint_from_env(&env(&[("AWS_EC2_METADATA_DISABLED", "false")])).unwrap().is_some());
        assert!(endpoint_from_env(&env(&[("AWS_EC2_METADATA_DISABLED", "yes")])).unwrap_err().contains("true"));
        assert!(endpoint_from_env(&env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "v5")])).is_err());
        let with_password = env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://user:hunter2@127.0.0.1:1")]);
        let error = endpoint_from_env(&with_password).unwrap_err();
        assert!(error.contains("user name or password") && !error.contains("hunter2"), "{error}");
        let client = ImdsClient::new("http://user:hunter2@127.0.0.1:1", ProviderHttp::built_in());
        assert!(!format!("{client:?}").contains("hunter2"), "{client:?}");
        assert!(endpoint_from_env(&env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", "metadata")])).is_err());
    }

    /// IMDS in memory: a session token whose TTL header is `ttl`, one role, and its credentials.
    #[derive(Debug)]
    struct FakeImds {
        ttl: &'static str,
        token_requests: std::sync::atomic::AtomicUsize,
    }

    impl HttpClient for FakeImds {
        fn send(
            &self,
            request: http::Request<Vec<u8>>,
            _max_response_bytes: usize,
        ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
            let path = request.uri().path().to_owned();
            let body = match path.as_str() {
                TOKEN_PATH => {
                    self.token_requests.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    "session-token".to_owned()
                }
                ROLE_PATH => "worker-role\n".to_owned(),
                _ => r#"{"Code":"Success","AccessKeyId":"ASIAINSTANCE","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#
                    .to_owned(),
            };
            let mut response = http::Response::new(body.into_bytes());
            if path == TOKEN_PATH {
                response.headers_mut().insert(TOKEN_TTL_HEADER, http::HeaderValue::from_static(self.ttl));
            }
            Box::pin(async move { Ok(response) })
        }
    }

    #[tokio::test]
    async fn a_session_token_ttl_beyond_what_was_asked_is_capped_not_a_panic() {
        for ttl in ["18446744073709551615", "21600", "not a number"] {
            let fake = Arc::new(FakeImds { ttl, token_requests: Default::default() });
            let client =
                ImdsClient::new("http://imds.test", ProviderHttp::new(Arc::clone(&fake) as Arc<dyn HttpClient>));
            for _ in 0..2 {
                let credentials = client.role_credentials().await.unwrap().expect("a role");
                assert_eq!(credentials.access_key_id(), "ASIAINSTANCE", "TTL {ttl}");
            }
            assert_eq!(
                fake.token_requests.load(std::sync::atomic::Ordering::SeqCst),
                1,
                "the token is reused: TTL {ttl}"
            );
        }
    }

    #[tokio::test]
    async fn turned_off_is_not_found_and_a_bad_setting_is_a_configuration_error() {
        use super::super::credentials::CredentialsErrorKind;
        let off = ImdsCredentials::new(&env(&[("AWS_EC2_METADATA_DISABLED", "true")]), ProviderHttp::built_in());
        let error = off.provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::NotFound);
        assert!(error.message().contains("AWS_EC2_METADATA_DISABLED"), "{error}");
        let bad = ImdsCredentials::new(&env(&[("AWS_EC2_METADATA_DISABLED", "1")]), ProviderHttp::built_in());
        assert_eq!(bad.provide_credentials().await.unwrap_err().kind(), CredentialsErrorKind::InvalidConfiguration);
    }
}
