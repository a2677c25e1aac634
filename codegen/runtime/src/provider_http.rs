//! How the credentials and region providers (IMDS, container endpoint, STS) talk HTTP: through the
//! client's [`HttpClient`], each exchange under its own short time limit, bodies capped small.
//!
//! The providers share the transport the client uses for the service, so a user who brings their own
//! `HttpClient` (the `default-https-client` feature off) gets these sources through it too. With the
//! feature on and no client given, the built-in hyper client serves, created on first use.

use std::error::Error;
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::http::{HttpClient, TransportError};

/// Credential and metadata responses are a few hundred bytes; anything far larger is refused.
pub const MAX_PROVIDER_RESPONSE_BYTES: usize = 64 * 1024;

/// The HTTP client providers send through; cheap to clone (clones share the client).
#[derive(Clone, Default)]
pub struct ProviderHttp {
    given: Option<Arc<dyn HttpClient>>,
    /// The built-in client, made the first time one is needed when none was given.
    built_in: Arc<OnceLock<Option<Arc<dyn HttpClient>>>>,
}

impl fmt::Debug for ProviderHttp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.given {
            Some(client) => f.debug_tuple("ProviderHttp").field(client).finish(),
            None => f.write_str("ProviderHttp(built-in)"),
        }
    }
}

impl ProviderHttp {
    /// Sends through `client`.
    pub fn new(client: Arc<dyn HttpClient>) -> Self {
        ProviderHttp { given: Some(client), built_in: Arc::default() }
    }

    /// Sends through the built-in client (when the `default-https-client` feature is on).
    pub fn built_in() -> Self {
        ProviderHttp::default()
    }

    /// The client to use, or `None` when none was given and the crate has no built-in one.
    pub fn client(&self) -> Option<Arc<dyn HttpClient>> {
        if let Some(client) = &self.given {
            return Some(Arc::clone(client));
        }
        self.built_in.get_or_init(built_in_client).clone()
    }

    /// Sends `request`, failing if the whole exchange takes longer than `limit`.
    pub async fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limit: Duration,
    ) -> Result<http::Response<Vec<u8>>, HttpFailure> {
        let client = self.client().ok_or(HttpFailure::NoClient)?;
        match tokio::time::timeout(limit, client.send(request, MAX_PROVIDER_RESPONSE_BYTES)).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(error)) => Err(HttpFailure::Transport(error)),
            Err(_) => Err(HttpFailure::TimedOut(limit)),
        }
    }
}

#[cfg(feature = "default-https-client")]
fn built_in_client() -> Option<Arc<dyn HttpClient>> {
    // The providers' own time limits are shorter than any connect timeout worth setting here.
    Some(Arc::new(super::http::HyperClient::new()))
}

#[cfg(not(feature = "default-https-client"))]
fn built_in_client() -> Option<Arc<dyn HttpClient>> {
    None
}

/// Why an exchange with a provider endpoint produced no response.
#[derive(Debug)]
pub enum HttpFailure {
    /// No client was given and the crate was built without the `default-https-client` feature.
    NoClient,
    /// No complete response within the limit.
    TimedOut(Duration),
    /// The transport failed.
    Transport(TransportError),
}

impl HttpFailure {
    /// Whether sending again may help (a timeout, or a transient transport failure).
    pub fn is_retryable(&self) -> bool {
        match self {
            HttpFailure::NoClient => false,
            HttpFailure::TimedOut(_) => true,
            HttpFailure::Transport(error) => error.is_retryable(),
        }
    }
}

impl fmt::Display for HttpFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpFailure::NoClient => f.write_str(
                "no HTTP client: enable the `default-https-client` feature or give the client an HttpClient",
            ),
            HttpFailure::TimedOut(limit) => write!(f, "no answer within {limit:?}"),
            HttpFailure::Transport(error) => {
                write!(f, "{error}")?;
                // The first cause says what happened (`Connection refused`); deeper ones repeat it.
                if let Some(cause) = error.source() {
                    write!(f, " ({cause})")?;
                }
                Ok(())
            }
        }
    }
}
