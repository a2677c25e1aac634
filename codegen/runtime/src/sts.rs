//! AWS STS for the credentials providers: `AssumeRole` (signed with the source credentials) and
//! `AssumeRoleWithWebIdentity` (unsigned), and [`WebIdentityCredentials`], which reads
//! `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` (EKS IRSA and other OIDC federation).
//!
//! STS speaks awsQuery: a form-encoded `POST` (`Action`, `Version`, the parameters) answered with
//! XML, read with `roxmltree` (no dependencies of its own). The region is the client's; a provider
//! used on its own takes it from `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile, else `us-east-1`.
//!
//! # Endpoint
//!
//! STS's endpoint is found as the AWS SDKs' STS endpoint rules find it ([`sts_endpoint`]), from the
//! endpoint settings of the environment and the profile read as for the service
//! (`endpoint_config`, with `STS` as the service: `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, `sts`
//! in the profile's `services` section, the profile's `endpoint_url`, all ignored under
//! `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or `ignore_configured_endpoint_urls`;
//! `AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint`; `AWS_USE_DUALSTACK_ENDPOINT` /
//! `use_dualstack_endpoint`):
//!
//! - an endpoint URL, when one is configured; together with FIPS or dual-stack it is an error;
//! - else, with `{dnsSuffix}` and `{dualStackDnsSuffix}` the region's partition's in AWS's partition
//!   table (the runtime carries it, `data/partitions.json`): FIPS and dual-stack
//!   `https://sts-fips.{region}.{dualStackDnsSuffix}`; FIPS `https://sts-fips.{region}.{dnsSuffix}`
//!   (in `aws-us-gov`, whose STS is FIPS already, `https://sts.{region}.amazonaws.com`); dual-stack
//!   `https://sts.{region}.{dualStackDnsSuffix}`; otherwise `https://sts.{region}.{dnsSuffix}`. A
//!   variant the partition does not have is an error, never a silent fall back to the standard
//!   endpoint. The region `aws-global` is STS's global endpoint `https://sts.amazonaws.com`, signed
//!   for `us-east-1`.
//!
//! The region must be one host label (`region::check_region`) before it goes into any host: a
//! region such as `attacker.example/` is a configuration error, and nothing is sent.
//!
//! The body of `AssumeRoleWithWebIdentity` carries the token, so its request is marked
//! [`SensitiveBody`] for an `HttpClient` that logs requests.
//!
//! Each attempt has [`STS_ATTEMPT_TIMEOUT`]; server errors, throttling and transient transport
//! failures are tried up to [`STS_MAX_ATTEMPTS`] times. Errors carry STS's code and message (with the
//! web identity token scrubbed should STS ever quote it), never the response body.

use std::fmt;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::bounded_file::{read_text_async, Limits};
pub use super::credentials::AssumeRoleParams;
use super::credentials::{
    parse_expiry, redact_secrets, Credentials, CredentialsError, Environment, ProvideCredentials,
    ProvideCredentialsFuture,
};
use super::endpoint_config::{partitions, EndpointConfig, EndpointSettings, ResolvedEndpoint};
use super::http::SensitiveBody;
use super::partitions::Partitions;
use super::profile_file::{ProfileSet, ProfileSource};
use super::provider_http::ProviderHttp;
use super::sigv4::{uri_encode, Signer, SigningParams};

/// The limit on each STS request.
pub const STS_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// How many times one STS call is tried.
pub const STS_MAX_ATTEMPTS: u32 = 3;
pub use super::region::FALLBACK_REGION;

const STS_API_VERSION: &str = "2011-06-15";

/// A session name for roles assumed without `role_session_name`: the crate's name and the time.
pub fn default_session_name() -> String {
    let millis = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    format!("{}-{millis}", env!("CARGO_PKG_NAME"))
}

/// STS's endpoint for `settings` (see the [module documentation](self)): its URL and the region
/// requests to it are signed for. `Err` says why there is none.
pub fn sts_endpoint(settings: &EndpointSettings, partitions: &Partitions) -> Result<(String, String), String> {
    let region = settings.region.as_str();
    super::region::check_region(region)?;
    if let Some(url) = &settings.endpoint_url {
        if settings.use_fips {
            return Err("FIPS endpoints were asked for together with an endpoint URL for STS; \
                        STS's rules do not combine them: turn one off (AWS_USE_FIPS_ENDPOINT=false)"
                .to_owned());
        }
        if settings.use_dual_stack {
            return Err("dual-stack endpoints were asked for together with an endpoint URL for STS; \
                        STS's rules do not combine them: turn one off (AWS_USE_DUALSTACK_ENDPOINT=false)"
                .to_owned());
        }
        return Ok((url.clone(), region.to_owned()));
    }
    let partition = partitions.lookup(region);
    let name = partition.name();
    let url = match (settings.use_fips, settings.use_dual_stack) {
        (true, true) if partition.supports_fips() && partition.supports_dual_stack() => {
            format!("https://sts-fips.{region}.{}", partition.dual_stack_dns_suffix())
        }
        (true, true) => {
            return Err(format!(
                "FIPS and dual-stack endpoints were asked for, and partition {name} of region {region} \
                 lacks one or both"
            ))
        }
        // GovCloud's STS endpoints are FIPS endpoints under the standard name.
        (true, false) if partition.supports_fips() && name == "aws-us-gov" => {
            format!("https://sts.{region}.amazonaws.com")
        }
        (true, false) if partition.supports_fips() => format!("https://sts-fips.{region}.{}", partition.dns_suffix()),
        (true, false) => {
            return Err(format!("FIPS endpoints were asked for, and partition {name} of region {region} has none"))
        }
        (false, true) if partition.supports_dual_stack() => {
            format!("https://sts.{region}.{}", partition.dual_stack_dns_suffix())
        }
        (false, true) => {
            return Err(format!(
                "dual-stack endpoints were asked for, and partition {name} of region {region} has none"
            ))
        }
        (false, false) if region == "aws-global" => {
            return Ok(("https://sts.amazonaws.com".to_owned(), "us-east-1".to_owned()))
        }
        (false, false) => format!("https://sts.{region}.{}", partition.dns_suffix()),
    };
    Ok((url, region.to_owned()))
}

/// A client for the two STS calls the providers make.
#[derive(Clone)]
pub struct StsClient {
    http: ProviderHttp,
    endpoint: ResolvedEndpoint,
    signing_region: String,
}

impl fmt::Debug for StsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A URL with a user name or password never gets here: `ResolvedEndpoint` refuses it.
        f.debug_struct("StsClient")
            .field("endpoint", self.endpoint.uri())
            .field("signing_region", &self.signing_region)
            .finish()
    }
}

impl StsClient {
    /// STS in `region`, at the endpoint the environment and the profile choose (see the [module
    /// documentation](self)); `profiles` is the profile files' set, whose selected profile is read.
    pub fn new(
        env: &Environment,
        profiles: Option<&ProfileSet>,
        http: ProviderHttp,
        region: &str,
    ) -> Result<Self, CredentialsError> {
        let invalid = |why: &str| CredentialsError::invalid_configuration(format!("STS: {why}"));
        let settings = EndpointConfig::default()
            .resolve_in_profiles(region.to_owned(), env, profiles, "STS")
            .map_err(|e| invalid(e.message()))?;
        let (url, signing_region) =
            sts_endpoint(&settings, partitions().map_err(|e| invalid(&e))?).map_err(|e| invalid(&e))?;
        let endpoint = ResolvedEndpoint::new(&url).map_err(|e| invalid(&e))?;
        Ok(StsClient { http, endpoint, signing_region })
    }

    /// The endpoint calls go to.
    pub fn endpoint(&self) -> &http::Uri {
        self.endpoint.uri()
    }

    /// The region requests are signed for.
    pub fn signing_region(&self) -> &str {
        &self.signing_region
    }

    /// `AssumeRole`, signed with `source`.
    pub async fn assume_role(
        &self,
        source: &Credentials,
        role: &AssumeRoleParams,
    ) -> Result<Credentials, CredentialsError> {
        let session_name = role.session_name.clone().unwrap_or_else(default_session_name);
        let duration = role.duration_seconds.map(|d| d.to_string());
        let mut params = vec![("RoleArn", role.role_arn.as_str()), ("RoleSessionName", session_name.as_str())];
        if let Some(external_id) = &role.external_id {
            params.push(("ExternalId", external_id));
        }
        if let Some(duration) = &duration {
            params.push(("DurationSeconds", duration));
        }
        let what = format!("STS AssumeRole of {}", role.role_arn);
        let secrets: Vec<&str> = role.external_id.as_deref().into_iter().collect();
        self.call("AssumeRole", &params, Some(source), &what, &secrets).await
    }

    /// `AssumeRoleWithWebIdentity`, unsigned: the token is the proof.
    pub async fn assume_role_with_web_identity(
        &self,
        role_arn: &str,
        session_name: &str,
        token: &str,
    ) -> Result<Credentials, CredentialsError> {
        let params = [("RoleArn", role_arn), ("RoleSessionName", session_name), ("WebIdentityToken", token)];
        let what = format!("STS AssumeRoleWithWebIdentity of {role_arn}");
        self.call("AssumeRoleWithWebIdentity", &params, None, &what, &[token]).await
    }

    async fn call(
        &self,
        action: &str,
        params: &[(&str, &str)],
        signed_by: Option<&Credentials>,
        what: &str,
        secrets: &[&str],
    ) -> Result<Credentials, CredentialsError> {
        let mut body = format!("Action={action}&Version={STS_API_VERSION}");
        for (name, value) in params {
            body.push('&');
            body.push_str(name);
            body.push('=');
            body.push_str(&uri_encode(value.as_bytes()));
        }
        let body = body.into_bytes();
        // The body of an unsigned call holds the web identity token.
        let sensitive = signed_by.is_none() || !secrets.is_empty();
        let mut attempt = 1;
        loop {
            let mut request =
                self.request(&body, signed_by).map_err(|e| CredentialsError::provider_error(format!("{what}: {e}")))?;
            if sensitive {
                request.extensions_mut().insert(SensitiveBody);
            }
            match self.http.send(request, STS_ATTEMPT_TIMEOUT).await {
                Err(failure) => {
                    if !failure.is_retryable() || attempt >= STS_MAX_ATTEMPTS {
                        return Err(CredentialsError::provider_error(format!("{what}: {failure}")));
                    }
                }
                Ok(response) if response.status().is_success() => {
                    return read_credentials(response.body()).map_err(|problem| {
                        CredentialsError::provider_error(format!("{what}: the response {problem}"))
                    });
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    let (code, message) = read_error(response.body());
                    let retryable =
                        status >= 500 || matches!(code.as_deref(), Some("Throttling" | "IDPCommunicationError"));
                    if !retryable || attempt >= STS_MAX_ATTEMPTS {
                        let detail = match (code, message) {
                            (Some(code), Some(message)) => format!("{code}: {message}"),
                            (Some(code), None) => code,
                            _ => "no STS error in the body".to_owned(),
                        };
                        let detail = redact_secrets(&detail, secrets);
                        return Err(CredentialsError::provider_error(format!("{what}: HTTP {status}, {detail}")));
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
            attempt += 1;
        }
    }

    fn request(&self, body: &[u8], signed_by: Option<&Credentials>) -> Result<http::Request<Vec<u8>>, String> {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"),
        );
        headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(body.len()));
        headers.insert(http::header::HOST, self.endpoint.host().clone());
        if let Some(credentials) = signed_by {
            let params =
                SigningParams { credentials, region: &self.signing_region, service: "sts", time: SystemTime::now() };
            Signer::new()
                .sign(&http::Method::POST, self.endpoint.uri(), &mut headers, body, &params)
                .map_err(|e| format!("cannot sign the request: {e}"))?;
        }
        let mut request = http::Request::new(body.to_vec());
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.endpoint.uri().clone();
        *request.headers_mut() = headers;
        Ok(request)
    }
}

/// The text of the first element called `name` below `node`.
fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.descendants().find(|n| n.has_tag_name(name)).and_then(|n| n.text()).map(str::trim).filter(|t| !t.is_empty())
}

/// The `Credentials` element of a successful response; the error says what is wrong without quoting.
fn read_credentials(body: &[u8]) -> Result<Credentials, String> {
    let text = std::str::from_utf8(body).map_err(|_| "is not UTF-8".to_owned())?;
    let document = roxmltree::Document::parse(text).map_err(|_| "is not XML".to_owned())?;
    let credentials = document
        .descendants()
        .find(|n| n.has_tag_name("Credentials"))
        .ok_or_else(|| "has no Credentials element".to_owned())?;
    let field = |name: &str| child_text(credentials, name).ok_or_else(|| format!("has no {name}"));
    let parsed =
        Credentials::new(field("AccessKeyId")?, field("SecretAccessKey")?, Some(field("SessionToken")?.to_owned()));
    let expiry = parse_expiry(field("Expiration")?, "STS")
        .map_err(|_| "has an Expiration that is not a timestamp".to_owned())?;
    // The assumed role's ARN (`arn:aws:sts::123456789012:assumed-role/...`) names the account.
    let account_id = document
        .descendants()
        .find(|n| n.has_tag_name("AssumedRoleUser"))
        .and_then(|user| child_text(user, "Arn"))
        .and_then(|arn| arn.split(':').nth(4))
        .filter(|account| !account.is_empty());
    let parsed = parsed.with_expiry(expiry);
    Ok(match account_id {
        Some(account_id) => parsed.with_account_id(account_id),
        None => parsed,
    })
}

/// `Error/Code` and `Error/Message` of an error response, where the body has them.
fn read_error(body: &[u8]) -> (Option<String>, Option<String>) {
    let Some(document) = std::str::from_utf8(body).ok().and_then(|t| roxmltree::Document::parse(t).ok()) else {
        return (None, None);
    };
    let Some(error) = document.descendants().find(|n| n.has_tag_name("Error")) else {
        return (None, None);
    };
    (child_text(error, "Code").map(str::to_owned), child_text(error, "Message").map(str::to_owned))
}

/// Reads the token file (again on every call: EKS rotates it), within the limits of
/// [`Limits::TOKEN_FILE`](super::bounded_file::Limits::TOKEN_FILE); errors name the file.
pub async fn read_web_identity_token(path: &str, source: &str) -> Result<String, CredentialsError> {
    let token = read_text_async(Path::new(path), Limits::TOKEN_FILE).await.map_err(|e| {
        CredentialsError::invalid_configuration(format!(
            "{source}: cannot read the web identity token file {path}: {e}"
        ))
    })?;
    let token = token.trim();
    if token.is_empty() {
        return Err(CredentialsError::invalid_configuration(format!(
            "{source}: the web identity token file {path} is empty"
        )));
    }
    Ok(token.to_owned())
}

/// Web identity from the environment: `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and optional
/// `AWS_ROLE_SESSION_NAME`, exchanged with `AssumeRoleWithWebIdentity`.
///
/// Neither variable set: [`NotFound`](super::credentials::CredentialsErrorKind::NotFound). The token
/// file without the role: [`InvalidConfiguration`](super::credentials::CredentialsErrorKind::InvalidConfiguration).
#[derive(Clone, Debug)]
pub struct WebIdentityCredentials {
    env: Environment,
    http: ProviderHttp,
    region: Option<String>,
    profile: Option<String>,
}

impl WebIdentityCredentials {
    /// Reads the variables from `env`, calls STS through `http` in `region` (see the module docs when `None`).
    pub fn new(env: Environment, http: ProviderHttp, region: Option<String>) -> Self {
        WebIdentityCredentials { env, http, region, profile: None }
    }

    /// Reads STS's endpoint settings from this profile instead of `AWS_PROFILE`'s (or `default`).
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        const SOURCE: &str = "web identity";
        let token_file = self.env.get("AWS_WEB_IDENTITY_TOKEN_FILE");
        let role_arn = self.env.get("AWS_ROLE_ARN");
        let (token_file, role_arn) = match (token_file, role_arn) {
            (Some(file), Some(role)) => (file, role),
            (None, _) => {
                return Err(CredentialsError::not_found(format!("{SOURCE}: AWS_WEB_IDENTITY_TOKEN_FILE is not set")))
            }
            (Some(_), None) => {
                return Err(CredentialsError::invalid_configuration(format!(
                    "{SOURCE}: AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"
                )))
            }
        };
        let token = read_web_identity_token(&token_file, SOURCE).await?;
        let session_name = self.env.get("AWS_ROLE_SESSION_NAME").unwrap_or_else(default_session_name);
        // Reading the profile files blocks, so it runs on tokio's blocking pool, not the executor.
        let (env, profile, region) = (self.env.clone(), self.profile.clone(), self.region.clone());
        let (region, profiles) = tokio::task::spawn_blocking(move || {
            let region = region.unwrap_or_else(|| {
                super::region::region_without_imds(&env, profile.as_deref())
                    .unwrap_or_else(|| FALLBACK_REGION.to_owned())
            });
            let source = ProfileSource { profile, ..ProfileSource::default() };
            let profiles = ProfileSet::load(&env, &source).map_err(|e| {
                CredentialsError::invalid_configuration(format!(
                    "{SOURCE}: cannot read STS's endpoint settings from the profile: {}",
                    e.message()
                ))
            })?;
            Ok::<_, CredentialsError>((region, profiles))
        })
        .await
        .map_err(|_| {
            CredentialsError::provider_error(format!("{SOURCE}: the thread reading the profile files stopped"))
        })??;
        let sts = StsClient::new(&self.env, Some(&profiles), self.http.clone(), &region)?;
        sts.assume_role_with_web_identity(&role_arn, &session_name, &token).await
    }
}

impl ProvideCredentials for WebIdentityCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUCCESS: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>ARO:s</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLEKEY</AccessKeyId>
      <SecretAccessKey>secret/key+value</SecretAccessKey>
      <SessionToken>session-token==</SessionToken>
      <Expiration>2030-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#;

    #[cfg(unix)]
    #[tokio::test]
    async fn an_endless_token_file_is_an_error_naming_the_limit() {
        let error = read_web_identity_token("/dev/zero", "web identity").await.unwrap_err();
        assert!(error.message().contains("/dev/zero"), "{error}");
        assert!(error.message().contains("limit of 65536 bytes"), "{error}");
    }

    #[test]
    fn reads_the_credentials_element() {
        let creds = read_credentials(SUCCESS.as_bytes()).unwrap();
        assert_eq!(creds.access_key_id(), "ASIAEXAMPLEKEY");
        assert_eq!(creds.secret_access_key(), "secret/key+value");
        assert_eq!(creds.session_token(), Some("session-token=="));
        assert_eq!(creds.expiry(), Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_456_000)));
        assert_eq!(creds.account_id(), Some("123456789012"), "from the assumed role's ARN");
        let without_user = SUCCESS.replace("<Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn>", "");
        assert_eq!(read_credentials(without_user.as_bytes()).unwrap().account_id(), None);
    }

    #[test]
    fn malformed_responses_say_what_is_missing() {
        assert_eq!(read_credentials(b"<a>").unwrap_err(), "is not XML");
        assert_eq!(read_credentials(b"<a/>").unwrap_err(), "has no Credentials element");
        let no_token = SUCCESS.replace("<SessionToken>session-token==</SessionToken>", "");
        assert_eq!(read_credentials(no_token.as_bytes()).unwrap_err(), "has no SessionToken");
        let bad_time = SUCCESS.replace("2030-01-01T00:00:00Z", "tomorrow");
        assert!(read_credentials(bad_time.as_bytes()).unwrap_err().contains("Expiration"));
    }

    #[test]
    fn error_responses_give_code_and_message() {
        let body = r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error>
  <RequestId>r-2</RequestId>
</ErrorResponse>"#;
        assert_eq!(read_error(body.as_bytes()), (Some("AccessDenied".into()), Some("not allowed".into())));
        assert_eq!(read_error(b"oops"), (None, None));
    }

    fn env(pairs: &[(&str, &str)]) -> Environment {
        // No HOME: no profile files unless a test names them.
        Environment::from_pairs(pairs.iter().map(|&(k, v)| (k.to_owned(), v.to_owned())))
    }

    /// STS's endpoint and signing region in `region` with these variables, or the error's message.
    fn endpoint_in(region: &str, pairs: &[(&str, &str)]) -> Result<(String, String), String> {
        let env = env(pairs);
        let profiles = ProfileSet::load(&env, &ProfileSource::default()).unwrap();
        StsClient::new(&env, Some(&profiles), ProviderHttp::built_in(), region)
            .map(|sts| (sts.endpoint().to_string(), sts.signing_region().to_owned()))
            .map_err(|e| e.message().to_owned())
    }

    fn url_in(region: &str, pairs: &[(&str, &str)]) -> String {
        endpoint_in(region, pairs).unwrap().0
    }

    #[test]
    fn the_endpoint_is_regional_with_the_partitions_dns_suffix() {
        for (region, url) in [
            ("eu-west-1", "https://sts.eu-west-1.amazonaws.com/"),
            ("us-east-1", "https://sts.us-east-1.amazonaws.com/"),
            ("cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn/"),
            ("us-gov-west-1", "https://sts.us-gov-west-1.amazonaws.com/"),
            ("us-iso-east-1", "https://sts.us-iso-east-1.c2s.ic.gov/"),
            ("us-isob-east-1", "https://sts.us-isob-east-1.sc2s.sgov.gov/"),
            ("eusc-de-east-1", "https://sts.eusc-de-east-1.amazonaws.eu/"),
            // A region newer than the table falls back to the `aws` partition, as in the SDKs.
            ("xx-new-1", "https://sts.xx-new-1.amazonaws.com/"),
        ] {
            assert_eq!(endpoint_in(region, &[]).unwrap(), (url.to_owned(), region.to_owned()), "{region}");
        }
        assert_eq!(
            endpoint_in("aws-global", &[]).unwrap(),
            ("https://sts.amazonaws.com/".to_owned(), "us-east-1".to_owned()),
            "the global endpoint is signed for us-east-1"
        );
    }

    #[test]
    fn fips_and_dual_stack_follow_the_partition() {
        let fips = [("AWS_USE_FIPS_ENDPOINT", "true")];
        let dual = [("AWS_USE_DUALSTACK_ENDPOINT", "true")];
        let both = [("AWS_USE_FIPS_ENDPOINT", "true"), ("AWS_USE_DUALSTACK_ENDPOINT", "true")];
        assert_eq!(url_in("us-east-1", &fips), "https://sts-fips.us-east-1.amazonaws.com/");
        assert_eq!(url_in("us-east-1", &dual), "https://sts.us-east-1.api.aws/");
        assert_eq!(url_in("us-east-1", &both), "https://sts-fips.us-east-1.api.aws/");
        assert_eq!(url_in("us-gov-west-1", &fips), "https://sts.us-gov-west-1.amazonaws.com/");
        assert_eq!(url_in("cn-north-1", &fips), "https://sts-fips.cn-north-1.amazonaws.com.cn/");
        assert_eq!(url_in("cn-north-1", &dual), "https://sts.cn-north-1.api.amazonwebservices.com.cn/");
        assert_eq!(url_in("us-iso-east-1", &fips), "https://sts-fips.us-iso-east-1.c2s.ic.gov/");
        assert_eq!(url_in("us-iso-east-1", &dual), "https://sts.us-iso-east-1.api.aws.ic.gov/");
        assert_eq!(url_in("eusc-de-east-1", &both), "https://sts-fips.eusc-de-east-1.api.amazonwebservices.eu/");
        // A partition without the variant is an error, never the standard endpoint.
        let table = Partitions::parse(
            r#"{"partitions": [{"id": "aws", "regionRegex": "^closed-\\w+-\\d+$", "regions": {},
                "outputs": {"name": "closed", "dnsSuffix": "closed.example", "dualStackDnsSuffix": "ds.closed.example",
                            "supportsFIPS": false, "supportsDualStack": false}}]}"#,
        )
        .unwrap();
        let settings = |use_fips, use_dual_stack| EndpointSettings {
            use_fips,
            use_dual_stack,
            ..EndpointConfig::default().resolve("closed-east-1".into(), None, "STS").unwrap()
        };
        assert_eq!(
            sts_endpoint(&settings(false, false), &table).unwrap().0,
            "https://sts.closed-east-1.closed.example"
        );
        let error = sts_endpoint(&settings(false, true), &table).unwrap_err();
        assert!(error.contains("dual-stack") && error.contains("partition closed"), "{error}");
        assert!(sts_endpoint(&settings(true, false), &table).unwrap_err().contains("FIPS endpoints were asked for"));
        assert!(sts_endpoint(&settings(true, true), &table).unwrap_err().contains("lacks one or both"));
        let off = [("AWS_USE_FIPS_ENDPOINT", "false"), ("AWS_USE_DUALSTACK_ENDPOINT", "FALSE")];
        assert_eq!(url_in("us-east-1", &off), "https://sts.us-east-1.amazonaws.com/");
        let error = endpoint_in("us-east-1", &[("AWS_USE_FIPS_ENDPOINT", "yes")]).unwrap_err();
        assert!(error.contains("AWS_USE_FIPS_ENDPOINT") && error.contains("`yes`"), "{error}");
    }

    #[test]
    fn endpoint_urls_and_the_switch_that_ignores_them() {
        let general = [("AWS_ENDPOINT_URL", "http://127.0.0.1:1")];
        assert_eq!(endpoint_in("eu-west-1", &general).unwrap(), ("http://127.0.0.1:1/".into(), "eu-west-1".into()));
        let both = [("AWS_ENDPOINT_URL", "http://127.0.0.1:1"), ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:2")];
        assert_eq!(url_in("eu-west-1", &both), "http://127.0.0.1:2/");
        let ignored = [("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:2"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")];
        assert_eq!(url_in("eu-west-1", &ignored), "https://sts.eu-west-1.amazonaws.com/");
        let bad = [("AWS_ENDPOINT_URL_STS", "sts.example")];
        let error = endpoint_in("eu-west-1", &bad).unwrap_err();
        assert!(error.starts_with("STS: ") && error.contains("`sts.example`"), "{error}");
        let with_password = [("AWS_ENDPOINT_URL_STS", "https://user:hunter2@sts.example")];
        let error = endpoint_in("eu-west-1", &with_password).unwrap_err();
        assert!(error.contains("user name or password") && !error.contains("hunter2"), "{error}");
        let fips_and_url = [("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:2"), ("AWS_USE_FIPS_ENDPOINT", "true")];
        assert!(endpoint_in("eu-west-1", &fips_and_url).unwrap_err().contains("FIPS"));
        let dual_and_url = [("AWS_ENDPOINT_URL", "http://127.0.0.1:2"), ("AWS_USE_DUALSTACK_ENDPOINT", "true")];
        assert!(endpoint_in("eu-west-1", &dual_and_url).unwrap_err().contains("dual-stack"));
    }

    #[test]
    fn the_profile_sets_the_endpoint_url_fips_and_the_ignore_switch() {
        let dir = std::env::temp_dir().join(format!("runtime-sts-endpoint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(
            &config,
            "[default]\nservices = local\nendpoint_url = http://127.0.0.1:3\n\
             [profile general]\nendpoint_url = http://127.0.0.1:4\n\
             [profile ignoring]\nendpoint_url = http://127.0.0.1:4\nignore_configured_endpoint_urls = true\n\
             [profile fips]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n\
             [services local]\nsts =\n  endpoint_url = http://127.0.0.1:5\n",
        )
        .unwrap();
        let file = config.display().to_string();
        let url = |profile: &str| url_in("us-west-2", &[("AWS_CONFIG_FILE", &file), ("AWS_PROFILE", profile)]);
        assert_eq!(url("default"), "http://127.0.0.1:5/", "the services section's sts entry first");
        assert_eq!(url("general"), "http://127.0.0.1:4/");
        assert_eq!(url("ignoring"), "https://sts.us-west-2.amazonaws.com/");
        assert_eq!(url("fips"), "https://sts-fips.us-west-2.api.aws/");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_region_that_is_not_a_host_label_is_a_configuration_error() {
        for region in ["attacker.example/", "attacker.example", "us-east-1.evil.com#", "a/b", ""] {
            let env = env(&[]);
            let error = StsClient::new(&env, None, ProviderHttp::built_in(), region).unwrap_err();
            assert_eq!(error.kind(), super::super::credentials::CredentialsErrorKind::InvalidConfiguration);
            assert!(error.message().contains("not a valid region name"), "{region}: {error}");
        }
    }

    /// Records whether each request was marked [`SensitiveBody`] and answers with [`SUCCESS`].
    #[derive(Debug, Default)]
    struct Recorder {
        marked: std::sync::Mutex<Vec<(String, bool)>>,
    }

    impl super::super::http::HttpClient for Recorder {
        fn send(
            &self,
            request: http::Request<Vec<u8>>,
            _max_response_bytes: usize,
        ) -> super::super::http::BoxFuture<'_, Result<http::Response<Vec<u8>>, super::super::http::TransportError>>
        {
            let action = String::from_utf8_lossy(request.body()).split('&').next().unwrap_or_default().to_owned();
            self.marked.lock().unwrap().push((action, request.extensions().get::<SensitiveBody>().is_some()));
            Box::pin(async { Ok(http::Response::new(SUCCESS.as_bytes().to_vec())) })
        }
    }

    #[tokio::test]
    async fn bodies_with_a_token_or_an_external_id_are_marked_sensitive() {
        let recorder = std::sync::Arc::new(Recorder::default());
        let http = ProviderHttp::new(recorder.clone());
        let sts = StsClient::new(&env(&[]), None, http, "eu-west-1").unwrap();
        sts.assume_role_with_web_identity("arn:aws:iam::1:role/r", "s", "the-token").await.unwrap();
        let source = Credentials::new("AKID", "SECRET", None);
        sts.assume_role(&source, &AssumeRoleParams::new("arn:aws:iam::1:role/r")).await.unwrap();
        let with_external_id =
            AssumeRoleParams { external_id: Some("ext".into()), ..AssumeRoleParams::new("arn:aws:iam::1:role/r") };
        sts.assume_role(&source, &with_external_id).await.unwrap();
        assert_eq!(
            *recorder.marked.lock().unwrap(),
            [
                ("Action=AssumeRoleWithWebIdentity".to_owned(), true),
                ("Action=AssumeRole".to_owned(), false),
                ("Action=AssumeRole".to_owned(), true),
            ]
        );
    }

    #[test]
    fn debug_keeps_the_external_id_out() {
        let params = AssumeRoleParams {
            external_id: Some("shared-secret-id".into()),
            ..AssumeRoleParams::new("arn:aws:iam::123456789012:role/r")
        };
        let debug = format!("{params:?}");
        assert!(!debug.contains("shared-secret-id") && debug.contains("role/r"), "{debug}");
    }

    #[test]
    fn session_names_fit_sts_rules() {
        let name = default_session_name();
        assert!((2..=64).contains(&name.len()), "{name}");
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@-_".contains(c)), "{name}");
    }
}
