//! AWS STS for the credentials providers: `AssumeRole` (signed with the source credentials) and
//! `AssumeRoleWithWebIdentity` (unsigned), and [`WebIdentityCredentials`], which reads
//! `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` (EKS IRSA and other OIDC federation).
//!
//! STS speaks awsQuery: a form-encoded `POST` (`Action`, `Version`, the parameters) answered with
//! XML, read with `roxmltree` (no dependencies of its own). The endpoint is
//! `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`, else the regional endpoint
//! `https://sts.{region}.amazonaws.com` (`.amazonaws.com.cn` in China), as the SDKs choose it. The
//! region is the client's; a provider used on its own takes it from `AWS_REGION`,
//! `AWS_DEFAULT_REGION` or the profile, else `us-east-1`.
//!
//! Each attempt has [`STS_ATTEMPT_TIMEOUT`]; server errors, throttling and transient transport
//! failures are tried up to [`STS_MAX_ATTEMPTS`] times. Errors carry STS's code and message (with the
//! web identity token scrubbed should STS ever quote it), never the response body.

use std::fmt;
use std::time::{Duration, SystemTime};

use super::credentials::{
    parse_expiry, redact_secrets, Credentials, CredentialsError, Environment, ProvideCredentials,
    ProvideCredentialsFuture,
};
use super::provider_http::ProviderHttp;
use super::sigv4::{uri_encode, Signer, SigningParams};

/// The limit on each STS request.
pub const STS_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// How many times one STS call is tried.
pub const STS_MAX_ATTEMPTS: u32 = 3;
/// The region STS is called in when nothing names one.
pub const FALLBACK_REGION: &str = "us-east-1";

const STS_API_VERSION: &str = "2011-06-15";

/// A session name for roles assumed without `role_session_name`: the crate's name and the time.
pub fn default_session_name() -> String {
    let millis = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    format!("{}-{millis}", env!("CARGO_PKG_NAME"))
}

/// What to pass to `AssumeRole`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumeRoleParams {
    /// The role's ARN.
    pub role_arn: String,
    /// `RoleSessionName`; [`default_session_name`] when `None`.
    pub session_name: Option<String>,
    /// `ExternalId`, when the role's trust policy asks for one.
    pub external_id: Option<String>,
    /// `DurationSeconds`; STS's default (one hour) when `None`.
    pub duration_seconds: Option<u32>,
}

impl AssumeRoleParams {
    /// Assumes `role_arn` with STS's defaults.
    pub fn new(role_arn: impl Into<String>) -> Self {
        AssumeRoleParams { role_arn: role_arn.into(), session_name: None, external_id: None, duration_seconds: None }
    }
}

/// A client for the two STS calls the providers make.
#[derive(Clone)]
pub struct StsClient {
    http: ProviderHttp,
    endpoint: http::Uri,
    region: String,
}

impl fmt::Debug for StsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StsClient").field("endpoint", &self.endpoint).field("region", &self.region).finish()
    }
}

impl StsClient {
    /// STS in `region`, at the endpoint the environment chooses.
    pub fn new(env: &Environment, http: ProviderHttp, region: &str) -> Result<Self, CredentialsError> {
        let (endpoint_text, origin) = match env.get("AWS_ENDPOINT_URL_STS") {
            Some(url) => (url, "AWS_ENDPOINT_URL_STS"),
            None => match env.get("AWS_ENDPOINT_URL") {
                Some(url) => (url, "AWS_ENDPOINT_URL"),
                None => (super::endpoint_config::default_endpoint("sts", region), "the region"),
            },
        };
        let endpoint: http::Uri = endpoint_text
            .parse()
            .ok()
            .filter(|uri: &http::Uri| matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some())
            .ok_or_else(|| {
                CredentialsError::invalid_configuration(format!(
                    "STS: the endpoint from {origin} is not an http:// or https:// URL with a host"
                ))
            })?;
        Ok(StsClient { http, endpoint, region: region.to_owned() })
    }

    /// The endpoint calls go to.
    pub fn endpoint(&self) -> &http::Uri {
        &self.endpoint
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
        self.call("AssumeRole", &params, Some(source), &what, &[]).await
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
        let mut attempt = 1;
        loop {
            let request =
                self.request(&body, signed_by).map_err(|e| CredentialsError::provider_error(format!("{what}: {e}")))?;
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
        if let Some(credentials) = signed_by {
            let params = SigningParams { credentials, region: &self.region, service: "sts", time: SystemTime::now() };
            Signer::new()
                .sign(&http::Method::POST, &self.endpoint, &mut headers, body, &params)
                .map_err(|e| format!("cannot sign the request: {e}"))?;
        }
        let mut request = http::Request::new(body.to_vec());
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.endpoint.clone();
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

/// Reads the token file (again on every call: EKS rotates it); errors name the file.
pub fn read_web_identity_token(path: &str, source: &str) -> Result<String, CredentialsError> {
    let token = std::fs::read_to_string(path).map_err(|e| {
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
}

impl WebIdentityCredentials {
    /// Reads the variables from `env`, calls STS through `http` in `region` (see the module docs when `None`).
    pub fn new(env: Environment, http: ProviderHttp, region: Option<String>) -> Self {
        WebIdentityCredentials { env, http, region }
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
        let token = read_web_identity_token(&token_file, SOURCE)?;
        let session_name = self.env.get("AWS_ROLE_SESSION_NAME").unwrap_or_else(default_session_name);
        let region = match &self.region {
            Some(region) => region.clone(),
            None => super::region::region_without_imds(&self.env, None).unwrap_or_else(|| FALLBACK_REGION.to_owned()),
        };
        let sts = StsClient::new(&self.env, self.http.clone(), &region)?;
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

    #[test]
    fn the_endpoint_is_the_variable_else_regional() {
        let http = ProviderHttp::built_in();
        let none = Environment::from_pairs(Vec::<(String, String)>::new());
        assert_eq!(
            StsClient::new(&none, http.clone(), "eu-west-1").unwrap().endpoint(),
            "https://sts.eu-west-1.amazonaws.com/"
        );
        assert_eq!(
            StsClient::new(&none, http.clone(), "cn-north-1").unwrap().endpoint(),
            "https://sts.cn-north-1.amazonaws.com.cn/"
        );
        let general = Environment::from_pairs([("AWS_ENDPOINT_URL", "http://127.0.0.1:1")]);
        assert_eq!(StsClient::new(&general, http.clone(), "eu-west-1").unwrap().endpoint(), "http://127.0.0.1:1/");
        let both = Environment::from_pairs([
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
            ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:2"),
        ]);
        assert_eq!(StsClient::new(&both, http.clone(), "eu-west-1").unwrap().endpoint(), "http://127.0.0.1:2/");
        let bad = Environment::from_pairs([("AWS_ENDPOINT_URL_STS", "sts.example")]);
        let error = StsClient::new(&bad, http, "eu-west-1").unwrap_err();
        assert!(error.message().contains("AWS_ENDPOINT_URL_STS"), "{error}");
    }

    #[test]
    fn session_names_fit_sts_rules() {
        let name = default_session_name();
        assert!((2..=64).contains(&name.len()), "{name}");
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@-_".contains(c)), "{name}");
    }
}
