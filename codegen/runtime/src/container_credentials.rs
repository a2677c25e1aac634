//! Credentials from the container credentials endpoint: an ECS or Fargate task role, or EKS Pod
//! Identity.
//!
//! The endpoint is `http://169.254.170.2` plus `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (ECS), else
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI`, which must be `https://`, or `http://` to a host whose every
//! address is a loopback address, the ECS address `169.254.170.2` or the EKS Pod Identity agent's
//! (`169.254.170.23`, `fd00:ec2::23`). As in the AWS SDKs, a host name is resolved and each of its
//! addresses checked, rather than trusted by its name: `localhost` is accepted because it resolves
//! to loopback, and so is any other name that resolves only to these addresses, while a name that
//! resolves to nothing, or to one address elsewhere, is refused (plain http there would carry the
//! authorization token and the credentials across the network). The lookup runs on tokio's blocking
//! pool, bounded by [`CONTAINER_ATTEMPT_TIMEOUT`].
//! The `Authorization` header is the contents of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on
//! every call: the agent rotates it), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`. The token is marked
//! sensitive and never appears in an error.
//!
//! The answer is JSON: `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`. Each attempt has
//! [`CONTAINER_ATTEMPT_TIMEOUT`]; server errors and transient failures are tried again, up to
//! [`CONTAINER_MAX_ATTEMPTS`] times.

use std::net::{IpAddr, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

use super::bounded_file::{read_text_async, Limits};
use super::credentials::{
    credentials_from_json, redact_secrets, Credentials, CredentialsError, Environment, ProvideCredentials,
    ProvideCredentialsFuture,
};
use super::provider_http::ProviderHttp;

/// The limit on each request to the endpoint (a local agent, so it answers fast or not at all).
pub const CONTAINER_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// How many times one lookup is tried.
pub const CONTAINER_MAX_ATTEMPTS: u32 = 3;
/// The ECS agent's address, which `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to.
pub const ECS_ENDPOINT: &str = "http://169.254.170.2";

const SOURCE: &str = "container";

/// Finds the addresses of a host name (blocking: it runs on tokio's blocking pool).
type ResolveHost = fn(&str) -> std::io::Result<Vec<IpAddr>>;

/// The system's resolver (`getaddrinfo`).
fn resolve_with_the_system(host: &str) -> std::io::Result<Vec<IpAddr>> {
    Ok((host, 0).to_socket_addrs()?.map(|address| address.ip()).collect())
}

/// The container endpoint's credentials; see the [module documentation](self).
#[derive(Clone, Debug)]
pub struct ContainerCredentials {
    env: Environment,
    http: ProviderHttp,
    resolve: ResolveHost,
}

impl ContainerCredentials {
    /// Reads the variables from `env` and sends through `http`.
    pub fn new(env: Environment, http: ProviderHttp) -> Self {
        ContainerCredentials { env, http, resolve: resolve_with_the_system }
    }

    /// The endpoint the variables name, `None` when neither is set; a full URI over plain http is
    /// checked as the [module documentation](self) says, its host name resolved.
    pub async fn endpoint(&self) -> Result<Option<http::Uri>, CredentialsError> {
        let Some((uri, check_host)) = self.configured_endpoint()? else { return Ok(None) };
        if check_host {
            let host = uri.host().unwrap_or_default();
            self.check_http_host(host).await.map_err(|why| {
                CredentialsError::invalid_configuration(format!(
                    "{SOURCE}: AWS_CONTAINER_CREDENTIALS_FULL_URI uses http to {host}, which {why}; plain http is \
                     allowed only to loopback addresses, 169.254.170.2, 169.254.170.23 and fd00:ec2::23 (use https)"
                ))
            })?;
        }
        Ok(Some(uri))
    }

    /// Whether every address of `host` is one plain http may go to; `Err` says why not.
    async fn check_http_host(&self, host: &str) -> Result<(), String> {
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        let addresses = match literal.parse::<IpAddr>() {
            Ok(address) => vec![address],
            Err(_) => {
                let resolve = self.resolve;
                let name = host.to_owned();
                let lookup = tokio::task::spawn_blocking(move || resolve(&name));
                match tokio::time::timeout(CONTAINER_ATTEMPT_TIMEOUT, lookup).await {
                    Ok(Ok(Ok(addresses))) => addresses,
                    Ok(Ok(Err(e))) => return Err(format!("cannot be resolved ({e})")),
                    Ok(Err(_)) => return Err("could not be resolved (the lookup stopped)".to_owned()),
                    Err(_) => return Err(format!("did not resolve within {CONTAINER_ATTEMPT_TIMEOUT:?}")),
                }
            }
        };
        match addresses.iter().find(|address| !is_allowed_http_address(**address)) {
            _ if addresses.is_empty() => Err("resolves to no address".to_owned()),
            Some(elsewhere) => Err(format!("resolves to {elsewhere}, which is not a local agent's address")),
            None => Ok(()),
        }
    }

    /// The endpoint the variables name, and whether its host still needs [`Self::check_http_host`].
    fn configured_endpoint(&self) -> Result<Option<(http::Uri, bool)>, CredentialsError> {
        if let Some(relative) = self.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let separator = if relative.starts_with('/') { "" } else { "/" };
            let uri = format!("{ECS_ENDPOINT}{separator}{relative}").parse().map_err(|_| {
                CredentialsError::invalid_configuration(format!(
                    "{SOURCE}: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a valid URL path"
                ))
            })?;
            return Ok(Some((uri, false)));
        }
        let Some(full) = self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            return Ok(None);
        };
        let invalid = |why: &str| {
            CredentialsError::invalid_configuration(format!("{SOURCE}: AWS_CONTAINER_CREDENTIALS_FULL_URI {why}"))
        };
        let uri: http::Uri = full.parse().map_err(|_| invalid("is not a valid URL"))?;
        if uri.host().is_none_or(str::is_empty) {
            return Err(invalid("has no host"));
        }
        match uri.scheme_str() {
            Some("https") => Ok(Some((uri, false))),
            Some("http") => Ok(Some((uri, true))),
            _ => Err(invalid("must be an http:// or https:// URL")),
        }
    }

    /// The `Authorization` value, if the environment gives one.
    async fn authorization(&self) -> Result<Option<http::HeaderValue>, CredentialsError> {
        let token = match self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(path) => {
                let text = read_text_async(Path::new(&path), Limits::TOKEN_FILE).await.map_err(|e| {
                    CredentialsError::invalid_configuration(format!(
                        "{SOURCE}: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: {e}"
                    ))
                })?;
                text.trim().to_owned()
            }
            None => match self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
                Some(token) => token,
                None => return Ok(None),
            },
        };
        let mut value = http::HeaderValue::from_str(&token).map_err(|_| {
            CredentialsError::invalid_configuration(format!(
                "{SOURCE}: the authorization token has characters not allowed in an HTTP header"
            ))
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(endpoint) = self.endpoint().await? else {
            return Err(CredentialsError::not_found(format!(
                "{SOURCE}: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set"
            )));
        };
        let authorization = self.authorization().await?;
        let secret = authorization.as_ref().and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let mut attempt = 1;
        loop {
            let mut request = http::Request::new(Vec::new());
            *request.uri_mut() = endpoint.clone();
            request.headers_mut().insert(http::header::ACCEPT, http::HeaderValue::from_static("application/json"));
            if let Some(value) = &authorization {
                request.headers_mut().insert(http::header::AUTHORIZATION, value.clone());
            }
            match self.http.send(request, CONTAINER_ATTEMPT_TIMEOUT).await {
                Err(failure) => {
                    if !failure.is_retryable() || attempt >= CONTAINER_MAX_ATTEMPTS {
                        return Err(CredentialsError::provider_error(format!("{SOURCE}: {failure}")));
                    }
                }
                Ok(response) if response.status().is_success() => {
                    let document = crate::json::from_slice(response.body()).map_err(|_| {
                        CredentialsError::provider_error(format!("{SOURCE}: the endpoint's answer is not JSON"))
                    })?;
                    return credentials_from_json(&document, "Token", SOURCE);
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    let detail = error_detail(response.body());
                    let problem = format!("{SOURCE}: the endpoint answered HTTP {status}{detail}");
                    if status < 500 || attempt >= CONTAINER_MAX_ATTEMPTS {
                        return Err(CredentialsError::provider_error(redact_secrets(&problem, &[&secret])));
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
            attempt += 1;
        }
    }
}

/// Whether plain http to `address` is allowed: the addresses only a local agent answers on.
fn is_allowed_http_address(address: IpAddr) -> bool {
    // An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 address.
    let address = match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    };
    address.is_loopback()
        || address == IpAddr::from([169, 254, 170, 2])
        || address == IpAddr::from([169, 254, 170, 23])
        || address == IpAddr::from([0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23])
}

/// `: code: message` from an agent's JSON error body, or nothing.
fn error_detail(body: &[u8]) -> String {
    let Ok(document) = crate::json::from_slice(body) else {
        return String::new();
    };
    let text =
        |names: [&str; 2]| names.iter().find_map(|n| document.get(*n).and_then(|v| v.as_str()).map(str::to_owned));
    match (text(["code", "Code"]), text(["message", "Message"])) {
        (Some(code), Some(message)) => format!(": {code}: {message}"),
        (Some(one), None) | (None, Some(one)) => format!(": {one}"),
        (None, None) => String::new(),
    }
}

impl ProvideCredentials for ContainerCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::super::credentials::CredentialsErrorKind;
    use super::super::http::{BoxFuture, HttpClient, TransportError};
    use super::*;
    use std::sync::{Arc, Mutex};

    /// Records requests and answers each with the same JSON, without any network.
    #[derive(Debug, Default)]
    struct Recorder {
        seen: Mutex<Vec<(String, Option<String>)>>,
    }

    impl HttpClient for Recorder {
        fn send(
            &self,
            request: http::Request<Vec<u8>>,
            _max_response_bytes: usize,
        ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
            let authorization = request.headers().get("authorization").map(|v| v.to_str().unwrap().to_owned());
            self.seen.lock().unwrap().push((request.uri().to_string(), authorization));
            let body = br#"{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#;
            Box::pin(async move { Ok(http::Response::new(body.to_vec())) })
        }
    }

    fn over_env(pairs: &[(&str, &str)]) -> (Arc<Recorder>, ContainerCredentials) {
        let recorder = Arc::new(Recorder::default());
        let env = Environment::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let mut provider = ContainerCredentials::new(env, ProviderHttp::new(recorder.clone()));
        provider.resolve = fake_dns;
        (recorder, provider)
    }

    /// A fixed zone, so the tests do not depend on the machine's resolver.
    fn fake_dns(host: &str) -> std::io::Result<Vec<IpAddr>> {
        let addresses: &[&str] = match host {
            "localhost" => &["127.0.0.1", "::1"],
            "agent.local" => &["127.0.0.53", "::ffff:127.0.0.1"],
            "pod-identity.internal" => &["169.254.170.23", "fd00:ec2::23"],
            // `localhost` pointed elsewhere (a tampered hosts file or search domain), and a name with
            // one address outside the machine among loopback ones.
            "localhost.attacker.example" => &["203.0.113.9"],
            "mixed.example" => &["127.0.0.1", "10.0.0.1"],
            "empty.example" => &[],
            _ => return Err(std::io::Error::new(std::io::ErrorKind::NotFound, "no such host")),
        };
        Ok(addresses.iter().map(|a| a.parse().unwrap()).collect())
    }

    /// `over_env` whose resolver says `localhost` is elsewhere.
    fn with_hostile_localhost(uri: &str) -> ContainerCredentials {
        let (_, mut provider) = over_env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri)]);
        provider.resolve = |host| fake_dns(if host == "localhost" { "localhost.attacker.example" } else { host });
        provider
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn an_endless_token_file_is_an_error_not_a_hang() {
        let (recorder, provider) = over_env(&[
            ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/dev/zero"),
        ]);
        let error = provider.provide_credentials().await.unwrap_err();
        assert!(error.message().contains("limit of 65536 bytes"), "{error}");
        assert!(recorder.seen.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn the_relative_uri_is_on_the_ecs_address() {
        let (recorder, provider) = over_env(&[
            ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/ignored"),
        ]);
        let creds = provider.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "ASIACONTAINER");
        assert_eq!(recorder.seen.lock().unwrap()[0], ("http://169.254.170.2/v2/credentials/abc".to_owned(), None));
    }

    #[tokio::test]
    async fn full_uris_must_be_https_or_go_to_a_host_that_resolves_only_to_local_agents() {
        for allowed in [
            "https://creds.example.com/x",
            "http://127.0.0.1:8080/x",
            "http://127.1.2.3/x",
            "http://localhost/x",
            "http://agent.local:9/x",
            "http://pod-identity.internal/v1/credentials",
            "http://[::1]:80/x",
            "http://[::ffff:127.0.0.1]/x",
            "http://169.254.170.2/x",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
        ] {
            let (_, provider) = over_env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", allowed)]);
            assert!(provider.endpoint().await.unwrap().is_some(), "{allowed}");
        }
        for (refused, why) in [
            ("http://10.0.0.1/x", "10.0.0.1"),
            ("http://example.com/x", "cannot be resolved"),
            ("http://mixed.example/x", "resolves to 10.0.0.1"),
            ("http://empty.example/x", "resolves to no address"),
            ("http://169.254.169.254/x", "169.254.169.254"),
            ("http://[::ffff:10.0.0.1]/x", "::ffff:10.0.0.1"),
            ("ftp://127.0.0.1/x", "http:// or https://"),
            ("nope", "AWS_CONTAINER_CREDENTIALS_FULL_URI"),
        ] {
            let (recorder, provider) = over_env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", refused)]);
            let error = provider.endpoint().await.unwrap_err();
            assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration, "{refused}");
            assert!(error.message().contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"), "{error}");
            assert!(error.message().contains(why), "{refused}: {error}");
            assert!(provider.provide_credentials().await.is_err());
            assert!(recorder.seen.lock().unwrap().is_empty(), "{refused}: nothing is sent");
        }
    }

    #[tokio::test]
    async fn localhost_is_resolved_not_trusted_by_its_name() {
        let provider = with_hostile_localhost("http://localhost:8080/creds");
        let error = provider.endpoint().await.unwrap_err();
        assert!(error.message().contains("resolves to 203.0.113.9"), "{error}");
        assert!(with_hostile_localhost("http://127.0.0.1:8080/creds").endpoint().await.is_ok());
        assert!(with_hostile_localhost("https://localhost/creds").endpoint().await.is_ok(), "https is not checked");
    }

    #[tokio::test]
    async fn the_system_resolver_finds_localhost_on_loopback() {
        let (_, mut provider) = over_env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://localhost:1/x")]);
        provider.resolve = resolve_with_the_system;
        assert!(provider.endpoint().await.unwrap().is_some());
    }

    #[tokio::test]
    async fn the_token_file_wins_over_the_token_variable() {
        let path = std::env::temp_dir().join(format!("runtime-container-token-{}", std::process::id()));
        std::fs::write(&path, "from-file\n").unwrap();
        let (recorder, provider) = over_env(&[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials"),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", path.to_str().unwrap()),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable"),
        ]);
        provider.provide_credentials().await.unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(recorder.seen.lock().unwrap()[0].1.as_deref(), Some("from-file"));

        let (recorder, provider) = over_env(&[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/x"),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable"),
        ]);
        provider.provide_credentials().await.unwrap();
        assert_eq!(recorder.seen.lock().unwrap()[0].1.as_deref(), Some("from-variable"));
    }

    #[tokio::test]
    async fn unset_is_not_found_and_a_bad_token_is_a_configuration_error() {
        let (_, provider) = over_env(&[]);
        let error = provider.provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::NotFound);
        let (recorder, provider) = over_env(&[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/x"),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "bad\ntoken"),
        ]);
        let error = provider.provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(!error.to_string().contains("bad\ntoken"));
        assert!(recorder.seen.lock().unwrap().is_empty());
    }

    #[test]
    fn agent_errors_give_code_and_message() {
        assert_eq!(error_detail(br#"{"code":"AccessDenied","message":"no"}"#), ": AccessDenied: no");
        assert_eq!(error_detail(b"<html>"), "");
    }
}
