//! The seam between the generated client and an HTTP stack: the [`HttpClient`] trait, its
//! [`TransportError`], and (with the `default-https-client` feature) a hyper + rustls implementation.
//!
//! The client's orchestrator builds and signs an `http::Request<Vec<u8>>`, hands it to an
//! [`HttpClient`], and gets back the whole response with its body in memory. Everything that
//! is policy — per-attempt timeouts, the overall deadline, retries, backoff — lives in the
//! orchestrator, so an implementation of this trait only moves bytes.
//!
//! # Bringing your own HTTP stack
//!
//! Implement [`HttpClient`] for a type of yours and hand it to the client's configuration.
//! An implementation must:
//!
//! - send the request exactly as given: its headers are signed, so changing a signed header
//!   (or the body, method or URI) makes the service reject the request;
//! - not retry, not impose its own timeouts and not follow redirects — the orchestrator
//!   decides all of that and would otherwise multiply or hide them;
//! - stop reading and fail with [`TransportErrorKind::ResponseTooLarge`] as soon as the body is
//!   known to exceed `max_response_bytes` (a `Content-Length` above it, or more bytes than that
//!   received so far) instead of buffering an unbounded body;
//! - map its failures onto [`TransportErrorKind`] so retries are decided correctly:
//!   `Connect` when no connection could be made (the request was surely not sent), `Timeout`
//!   when its own I/O timed out, `Io` when the connection failed while the request or response
//!   was in flight, `Other` for anything retrying cannot fix.
//!
//! A client that answers every request with a canned response, e.g. for tests (the module's
//! tests compile and run this same code):
//!
//! ```text
//! use crate::runtime::http::{BoxFuture, HttpClient, TransportError, TransportErrorKind};
//!
//! /// Answers every request with the same status and body.
//! #[derive(Debug)]
//! struct CannedClient {
//!     status: u16,
//!     body: Vec<u8>,
//! }
//!
//! impl HttpClient for CannedClient {
//!     fn send(
//!         &self,
//!         _request: http::Request<Vec<u8>>,
//!         max_response_bytes: usize,
//!     ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
//!         Box::pin(async move {
//!             if self.body.len() > max_response_bytes {
//!                 return Err(TransportError::response_too_large(max_response_bytes));
//!             }
//!             http::Response::builder()
//!                 .status(self.status)
//!                 .body(self.body.clone())
//!                 .map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))
//!         })
//!     }
//! }
//! ```
//!
//! (The example is plain text because doc tests cannot name `crate::runtime` of a crate whose
//! name is only known when it is generated.)
//!
//! # Logging requests
//!
//! A client that logs what it sends must leave out the `Authorization` and `X-Amz-Security-Token`
//! headers, and the body of every request that carries a [`SensitiveBody`] in its extensions
//! (`request.extensions().get::<SensitiveBody>().is_some()`): the credentials providers mark the
//! requests whose body holds a secret that way (STS `AssumeRoleWithWebIdentity`, whose body is the
//! web identity token; `AssumeRole` with an external ID).

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// Marks a request whose body holds a secret (a web identity token), in the request's extensions:
/// an [`HttpClient`] that logs requests must not log that body. See the [module documentation](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SensitiveBody;

/// A boxed, `Send` future: the return type of [`HttpClient::send`], so the trait stays
/// object-safe and the client can hold a `dyn HttpClient`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and returns the complete response.
///
/// See the [module documentation](self) for what an implementation must and must not do, and
/// an example.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends `request` and reads the whole response body into memory.
    ///
    /// Any status code is a successful result here; interpreting 4xx/5xx responses is the
    /// caller's job. Fails with [`TransportErrorKind::ResponseTooLarge`] once the body is known
    /// to be longer than `max_response_bytes`; a body of exactly that length is accepted.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>>;

    /// Sends a request whose body is a stream (a streaming `blob` payload) and returns the response
    /// with its body still to be read, for operations whose output is such a stream.
    ///
    /// The client limits the returned body's size and reading time itself (see
    /// [`ByteStream`](super::byte_stream::ByteStream)), so an implementation that streams does not
    /// apply `max_response_bytes`. The provided implementation, for clients that cannot stream,
    /// reads the request body into memory and sends it with [`HttpClient::send`], whose response
    /// body is held to `max_response_bytes`.
    #[cfg(feature = "rest-json")]
    fn send_streaming(
        &self,
        request: http::Request<super::byte_stream::ByteStream>,
        max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<http::Response<super::byte_stream::ByteStream>, TransportError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body.collect().await.map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))?;
            let response = self.send(http::Request::from_parts(parts, body), max_response_bytes).await?;
            Ok(response.map(super::byte_stream::ByteStream::from))
        })
    }
}

/// One client shared by many: every generated client built with the same `Arc` uses the same
/// connection pool.
impl<T: HttpClient + ?Sized> HttpClient for std::sync::Arc<T> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
        (**self).send(request, max_response_bytes)
    }

    #[cfg(feature = "rest-json")]
    fn send_streaming(
        &self,
        request: http::Request<super::byte_stream::ByteStream>,
        max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<http::Response<super::byte_stream::ByteStream>, TransportError>> {
        (**self).send_streaming(request, max_response_bytes)
    }
}

/// What kind of failure a [`TransportError`] is; decides whether the request may be retried.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// No connection could be established (DNS, TCP connect, TLS handshake, connect timeout);
    /// the request was not sent.
    Connect,
    /// The HTTP stack's own I/O timed out after the connection was made.
    Timeout,
    /// The connection failed while the request or response was in flight, e.g. the server
    /// closed it before the whole response body arrived.
    Io,
    /// The response body is longer than the caller's limit; reading stopped there.
    ResponseTooLarge {
        /// The limit, in bytes, that the body exceeded.
        limit: usize,
    },
    /// Any other failure, e.g. a malformed response or a request the HTTP stack refused.
    Other,
}

impl TransportErrorKind {
    /// Whether a request that failed this way is worth sending again.
    ///
    /// `Connect`, `Timeout` and `Io` are (the AWS SDKs treat them as transient, even for
    /// requests that may have reached the server); `ResponseTooLarge` and `Other` would fail
    /// the same way again.
    pub fn is_retryable(self) -> bool {
        match self {
            Self::Connect | Self::Timeout | Self::Io => true,
            Self::ResponseTooLarge { .. } | Self::Other => false,
        }
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Connect => f.write_str("could not connect to the endpoint"),
            Self::Timeout => f.write_str("the HTTP exchange timed out"),
            Self::Io => f.write_str("the connection failed while the request or response was in flight"),
            Self::ResponseTooLarge { limit } => {
                write!(f, "the response body is larger than the limit of {limit} bytes")
            }
            Self::Other => f.write_str("the HTTP client failed"),
        }
    }
}

/// A failure to complete an HTTP exchange: no response, or a response that could not be read.
///
/// `Display` describes the [kind](TransportErrorKind); the underlying error, if any, is
/// available through [`Error::source`] so it is not printed twice when a caller walks the chain.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Option<Box<dyn Error + Send + Sync>>,
}

impl TransportError {
    /// An error of `kind` with no underlying cause.
    pub fn new(kind: TransportErrorKind) -> Self {
        Self { kind, source: None }
    }

    /// An error of `kind` caused by `source` (e.g. the HTTP stack's own error).
    pub fn with_source(kind: TransportErrorKind, source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self { kind, source: Some(source.into()) }
    }

    /// The body turned out longer than `limit` bytes.
    pub fn response_too_large(limit: usize) -> Self {
        Self::new(TransportErrorKind::ResponseTooLarge { limit })
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the request may be sent again; see [`TransportErrorKind::is_retryable`].
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)
    }
}

impl Error for TransportError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

#[cfg(feature = "default-https-client")]
pub use self::hyper_client::{HyperClient, HyperClientBuilder};

#[cfg(feature = "default-https-client")]
mod hyper_client {
    use super::{BoxFuture, HttpClient, TransportError, TransportErrorKind};
    use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
    use hyper::body::Bytes;
    use hyper_rustls::HttpsConnector;
    use hyper_util::client::legacy::connect::HttpConnector;
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::{TokioExecutor, TokioTimer};
    use std::error::Error;
    use std::fmt;
    use std::time::Duration;

    /// A request body: the whole of it (every awsJson request), or a stream.
    #[cfg(feature = "rest-json")]
    type RequestBody = http_body_util::Either<Full<Bytes>, streaming::StreamingBody>;
    #[cfg(not(feature = "rest-json"))]
    type RequestBody = Full<Bytes>;

    /// A request body of these bytes.
    fn whole_body(body: Vec<u8>) -> RequestBody {
        let body = Full::new(Bytes::from(body));
        #[cfg(feature = "rest-json")]
        let body = http_body_util::Either::Left(body);
        body
    }

    /// How long [`HyperClient::new`] waits for a TCP connection: longer than a couple of lost
    /// SYNs (retransmitted after 1 s and 3 s), far shorter than the OS default of minutes.
    const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

    /// The default [`HttpClient`]: HTTP/1.1 over rustls (ring, Mozilla's roots from
    /// `webpki-roots`, so no system certificate store is needed), with pooled keep-alive
    /// connections. `http://` URIs are allowed too, for local endpoints.
    ///
    /// Cloning is cheap and clones share the connection pool. Requests must be sent from
    /// inside a Tokio runtime with I/O and time enabled.
    #[derive(Clone)]
    pub struct HyperClient {
        inner: Client<HttpsConnector<HttpConnector>, RequestBody>,
        connect_timeout: Duration,
    }

    impl fmt::Debug for HyperClient {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("HyperClient").field("connect_timeout", &self.connect_timeout).finish_non_exhaustive()
        }
    }

    impl HyperClient {
        /// A client with the default settings (10 s connect timeout).
        pub fn new() -> Self {
            Self::builder().build()
        }

        /// A builder for a client with non-default settings.
        pub fn builder() -> HyperClientBuilder {
            HyperClientBuilder { connect_timeout: DEFAULT_CONNECT_TIMEOUT }
        }
    }

    impl Default for HyperClient {
        fn default() -> Self {
            Self::new()
        }
    }

    /// Configures a [`HyperClient`]; made by [`HyperClient::builder`].
    #[derive(Debug, Clone)]
    pub struct HyperClientBuilder {
        connect_timeout: Duration,
    }

    impl HyperClientBuilder {
        /// How long to wait for the TCP connection to be established (default 10 s). A
        /// connection that takes longer fails with [`TransportErrorKind::Connect`].
        pub fn connect_timeout(mut self, timeout: Duration) -> Self {
            self.connect_timeout = timeout;
            self
        }

        /// Builds the client.
        pub fn build(self) -> HyperClient {
            let mut tcp = HttpConnector::new();
            // Let the TLS layer wrap `https://` URIs instead of the TCP connector refusing them.
            tcp.enforce_http(false);
            tcp.set_connect_timeout(Some(self.connect_timeout));
            tcp.set_nodelay(true);

            let tls = hyper_rustls::HttpsConnectorBuilder::new()
                // The provider is named explicitly so that another crate in the build turning
                // on the other rustls backend cannot make rustls' default selection ambiguous.
                .with_provider_and_webpki_roots(tls_provider())
                // Only fails if the provider lacks the cipher suites for every safe protocol
                // version; both providers have TLS 1.2 and 1.3 suites, and every test of this
                // module builds a client, so this cannot fail at run time.
                .expect("rustls' ring and aws-lc-rs providers support TLS 1.2 and 1.3")
                .https_or_http()
                .enable_http1()
                .wrap_connector(tcp);

            let inner = Client::builder(TokioExecutor::new())
                // With a timer the pool drops idle connections in the background rather than
                // only noticing they are stale when it next hands them out.
                .pool_timer(TokioTimer::new())
                .build(tls);
            HyperClient { inner, connect_timeout: self.connect_timeout }
        }
    }

    /// rustls' ring provider without its ChaCha20-Poly1305 suites: the lean default, whose build
    /// needs no C library beyond ring's own.
    ///
    /// The provider is put together here rather than taken from rustls' `default_provider()`,
    /// which names every suite ring has and so links ChaCha20-Poly1305's assembly (54 KB) into
    /// every binary. AES-GCM is what every AWS endpoint negotiates (TLS 1.3 makes
    /// `TLS_AES_128_GCM_SHA256` mandatory to implement; TLS 1.2 endpoints and proxies offer the
    /// ECDHE AES-GCM suites kept here). The key exchange groups, their order and the signature
    /// algorithms are rustls' own (its `DEFAULT_KX_GROUPS`; [`SIGNATURE_ALGORITHMS`] is checked
    /// against its table by a test). That constructor is also deprecated because ring has no
    /// post-quantum key exchange, a trade this default makes on purpose (the `tls-post-quantum`
    /// feature is the other side of it).
    #[cfg(not(feature = "tls-post-quantum"))]
    pub(super) fn tls_provider() -> rustls::crypto::CryptoProvider {
        use rustls::crypto::ring::cipher_suite;
        rustls::crypto::CryptoProvider {
            // rustls' order: TLS 1.3 first, the stronger key first.
            cipher_suites: vec![
                cipher_suite::TLS13_AES_256_GCM_SHA384,
                cipher_suite::TLS13_AES_128_GCM_SHA256,
                cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            ],
            kx_groups: rustls::crypto::ring::DEFAULT_KX_GROUPS.to_vec(),
            signature_verification_algorithms: SIGNATURE_ALGORITHMS,
            secure_random: &RingRandom,
            key_provider: &RingKeys,
        }
    }

    /// The certificate signature algorithms webpki verifies with ring, and which of them serve
    /// each TLS signature scheme (in TLS 1.2 an ECDSA scheme does not fix the curve).
    #[cfg(not(feature = "tls-post-quantum"))]
    pub(super) static SIGNATURE_ALGORITHMS: rustls::crypto::WebPkiSupportedAlgorithms = {
        use rustls::SignatureScheme as Scheme;
        use webpki::ring as alg;
        rustls::crypto::WebPkiSupportedAlgorithms {
            all: &[
                alg::ECDSA_P256_SHA256,
                alg::ECDSA_P256_SHA384,
                alg::ECDSA_P384_SHA256,
                alg::ECDSA_P384_SHA384,
                alg::ED25519,
                alg::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
                alg::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
                alg::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
                alg::RSA_PKCS1_2048_8192_SHA256,
                alg::RSA_PKCS1_2048_8192_SHA384,
                alg::RSA_PKCS1_2048_8192_SHA512,
                alg::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
                alg::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
                alg::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
            ],
            mapping: &[
                (Scheme::ECDSA_NISTP384_SHA384, &[alg::ECDSA_P384_SHA384, alg::ECDSA_P256_SHA384]),
                (Scheme::ECDSA_NISTP256_SHA256, &[alg::ECDSA_P256_SHA256, alg::ECDSA_P384_SHA256]),
                (Scheme::ED25519, &[alg::ED25519]),
                (Scheme::RSA_PSS_SHA512, &[alg::RSA_PSS_2048_8192_SHA512_LEGACY_KEY]),
                (Scheme::RSA_PSS_SHA384, &[alg::RSA_PSS_2048_8192_SHA384_LEGACY_KEY]),
                (Scheme::RSA_PSS_SHA256, &[alg::RSA_PSS_2048_8192_SHA256_LEGACY_KEY]),
                (Scheme::RSA_PKCS1_SHA512, &[alg::RSA_PKCS1_2048_8192_SHA512]),
                (Scheme::RSA_PKCS1_SHA384, &[alg::RSA_PKCS1_2048_8192_SHA384]),
                (Scheme::RSA_PKCS1_SHA256, &[alg::RSA_PKCS1_2048_8192_SHA256]),
            ],
        }
    };

    /// The provider's randomness (TLS nonces and key shares): the operating system's, through ring.
    #[cfg(not(feature = "tls-post-quantum"))]
    #[derive(Debug)]
    struct RingRandom;

    #[cfg(not(feature = "tls-post-quantum"))]
    impl rustls::crypto::SecureRandom for RingRandom {
        fn fill(&self, buf: &mut [u8]) -> Result<(), rustls::crypto::GetRandomFailed> {
            use ring::rand::SecureRandom as _;
            ring::rand::SystemRandom::new().fill(buf).map_err(|_| rustls::crypto::GetRandomFailed)
        }
    }

    /// Loads private keys (client certificates, which this client does not use) as ring can.
    #[cfg(not(feature = "tls-post-quantum"))]
    #[derive(Debug)]
    struct RingKeys;

    #[cfg(not(feature = "tls-post-quantum"))]
    impl rustls::crypto::KeyProvider for RingKeys {
        fn load_private_key(
            &self,
            key_der: rustls::pki_types::PrivateKeyDer<'static>,
        ) -> Result<std::sync::Arc<dyn rustls::sign::SigningKey>, rustls::Error> {
            rustls::crypto::ring::sign::any_supported_type(&key_der)
        }
    }

    /// rustls' aws-lc-rs provider, which (with rustls' `prefer-post-quantum`) offers the hybrid
    /// X25519MLKEM768 key exchange first and falls back to X25519 where a server lacks it.
    #[cfg(feature = "tls-post-quantum")]
    pub(super) fn tls_provider() -> rustls::crypto::CryptoProvider {
        rustls::crypto::aws_lc_rs::default_provider()
    }

    impl HttpClient for HyperClient {
        fn send(
            &self,
            request: http::Request<Vec<u8>>,
            max_response_bytes: usize,
        ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
            Box::pin(async move {
                let is_head = request.method() == http::Method::HEAD;
                let request = request.map(whole_body);
                let response = self.inner.request(request).await.map_err(request_error)?;
                let (parts, body) = response.into_parts();

                // HEAD, 204 and 304 responses carry no body whatever Content-Length says.
                let has_body = !is_head
                    && parts.status != http::StatusCode::NO_CONTENT
                    && parts.status != http::StatusCode::NOT_MODIFIED;
                if has_body {
                    if let Some(length) = content_length(&parts.headers) {
                        if length > max_response_bytes as u64 {
                            return Err(TransportError::response_too_large(max_response_bytes));
                        }
                    }
                }

                // `Limited` fails as soon as the running total would pass the limit, so at most
                // the limit plus one read chunk is ever held (chunked bodies included).
                let collected = Limited::new(body, max_response_bytes)
                    .collect()
                    .await
                    .map_err(|err| body_error(err, max_response_bytes))?;
                let body = Vec::from(collected.to_bytes());
                Ok(http::Response::from_parts(parts, body))
            })
        }

        #[cfg(feature = "rest-json")]
        fn send_streaming(
            &self,
            request: http::Request<super::super::byte_stream::ByteStream>,
            _max_response_bytes: usize,
        ) -> BoxFuture<'_, Result<http::Response<super::super::byte_stream::ByteStream>, TransportError>> {
            Box::pin(async move {
                let request = request.map(|body| http_body_util::Either::Right(streaming::StreamingBody(body)));
                let response = self.inner.request(request).await.map_err(request_error)?;
                Ok(response.map(|body| super::super::byte_stream::ByteStream::from_body(streaming::IncomingBody(body))))
            })
        }
    }

    /// Streaming bodies in both directions: the request's [`ByteStream`] fed to hyper as it is read,
    /// the response's handed to the caller unread.
    #[cfg(feature = "rest-json")]
    mod streaming {
        use super::super::super::byte_stream::{BodySource, ByteStream, ByteStreamError, ByteStreamErrorKind};
        use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
        use std::pin::Pin;
        use std::task::{ready, Context, Poll};

        /// A request body read from a [`ByteStream`] as hyper asks for it.
        pub(super) struct StreamingBody(pub(super) ByteStream);

        impl Body for StreamingBody {
            type Data = Bytes;
            type Error = ByteStreamError;

            fn poll_frame(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
            ) -> Poll<Option<Result<Frame<Bytes>, ByteStreamError>>> {
                self.get_mut().0.poll_next(cx).map(|chunk| chunk.map(|chunk| chunk.map(Frame::data)))
            }

            fn size_hint(&self) -> SizeHint {
                self.0.content_length().map_or_else(SizeHint::default, SizeHint::with_exact)
            }
        }

        /// A response body left for the caller to read.
        pub(super) struct IncomingBody(pub(super) Incoming);

        impl BodySource for IncomingBody {
            fn poll_chunk(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
                let body = &mut self.get_mut().0;
                loop {
                    match ready!(Pin::new(&mut *body).poll_frame(cx)) {
                        None => return Poll::Ready(None),
                        Some(Err(e)) => {
                            return Poll::Ready(Some(Err(ByteStreamError::new(
                                ByteStreamErrorKind::Transport,
                                Some(Box::new(e)),
                            ))))
                        }
                        // Trailers and empty chunks carry no bytes of the body.
                        Some(Ok(frame)) => match frame.into_data() {
                            Ok(data) if !data.is_empty() => return Poll::Ready(Some(Ok(data))),
                            _ => {}
                        },
                    }
                }
            }

            fn length(&self) -> Option<u64> {
                self.0.size_hint().exact()
            }
        }
    }

    /// The declared body length, if the header is present and a plain number. A malformed
    /// header is left for hyper, which rejects such responses while parsing them.
    fn content_length(headers: &http::HeaderMap) -> Option<u64> {
        headers.get(http::header::CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
    }

    /// Classifies a failure that happened before the response head arrived.
    fn request_error(err: hyper_util::client::legacy::Error) -> TransportError {
        let kind = if err.is_connect() {
            TransportErrorKind::Connect
        } else {
            match find_hyper_error(&err) {
                Some(e) if e.is_timeout() => TransportErrorKind::Timeout,
                Some(e) if e.is_parse() || e.is_user() => TransportErrorKind::Other,
                Some(_) => TransportErrorKind::Io,
                // Without a hyper error underneath, the legacy client refused the request
                // itself (e.g. a URI without scheme or host): sending it again cannot help.
                None => TransportErrorKind::Other,
            }
        };
        TransportError::with_source(kind, err)
    }

    /// Classifies a failure while reading the response body.
    fn body_error(err: Box<dyn Error + Send + Sync>, limit: usize) -> TransportError {
        if err.downcast_ref::<LengthLimitError>().is_some() {
            return TransportError::response_too_large(limit);
        }
        let kind = match find_hyper_error(&*err) {
            Some(e) if e.is_timeout() => TransportErrorKind::Timeout,
            // Mid-body failures are the connection's fault (closed early, reset, truncated
            // chunk): the next attempt gets a fresh connection and a fresh chance.
            _ => TransportErrorKind::Io,
        };
        TransportError::with_source(kind, err)
    }

    fn find_hyper_error<'a>(err: &'a (dyn Error + 'static)) -> Option<&'a hyper::Error> {
        let mut current = Some(err);
        while let Some(e) = current {
            if let Some(found) = e.downcast_ref::<hyper::Error>() {
                return Some(found);
            }
            current = e.source();
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Keep in sync with the example in the module documentation.
    /// Answers every request with the same status and body.
    #[derive(Debug)]
    struct CannedClient {
        status: u16,
        body: Vec<u8>,
    }

    impl HttpClient for CannedClient {
        fn send(
            &self,
            _request: http::Request<Vec<u8>>,
            max_response_bytes: usize,
        ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
            Box::pin(async move {
                if self.body.len() > max_response_bytes {
                    return Err(TransportError::response_too_large(max_response_bytes));
                }
                http::Response::builder()
                    .status(self.status)
                    .body(self.body.clone())
                    .map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))
            })
        }
    }

    /// Drives a future that never waits on I/O or timers, so these tests need no runtime.
    fn block_on<F: Future>(future: F) -> F::Output {
        use std::sync::Arc;
        use std::task::{Context, Poll, Wake, Waker};

        struct NoopWaker;
        impl Wake for NoopWaker {
            fn wake(self: Arc<Self>) {}
        }
        let waker = Waker::from(Arc::new(NoopWaker));
        let mut cx = Context::from_waker(&waker);
        let mut future = std::pin::pin!(future);
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
        }
    }

    fn empty_request() -> http::Request<Vec<u8>> {
        http::Request::new(Vec::new())
    }

    #[test]
    fn documented_example_client_works_through_a_trait_object() {
        let client: Box<dyn HttpClient> = Box::new(CannedClient { status: 404, body: b"missing".to_vec() });
        let response = block_on(client.send(empty_request(), 7)).unwrap();
        assert_eq!(response.status(), 404);
        assert_eq!(response.body(), b"missing");

        let err = block_on(client.send(empty_request(), 6)).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::ResponseTooLarge { limit: 6 });
    }

    #[test]
    fn documented_example_client_reports_invalid_status_as_other() {
        let client = CannedClient { status: 1000, body: Vec::new() };
        let err = block_on(client.send(empty_request(), 0)).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other);
        assert!(err.source().is_some());
    }

    #[test]
    fn retryable_kinds() {
        assert!(TransportError::new(TransportErrorKind::Connect).is_retryable());
        assert!(TransportError::new(TransportErrorKind::Timeout).is_retryable());
        assert!(TransportError::new(TransportErrorKind::Io).is_retryable());
        assert!(!TransportError::response_too_large(1).is_retryable());
        assert!(!TransportError::new(TransportErrorKind::Other).is_retryable());
    }

    #[test]
    fn display_names_the_kind_and_source_carries_the_cause() {
        let cause = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "peer reset");
        let err = TransportError::with_source(TransportErrorKind::Io, cause);
        assert_eq!(err.to_string(), "the connection failed while the request or response was in flight");
        assert_eq!(err.source().unwrap().to_string(), "peer reset");

        let err = TransportError::response_too_large(1024);
        assert_eq!(err.to_string(), "the response body is larger than the limit of 1024 bytes");
        assert!(err.source().is_none());
    }

    /// Records the body of the request it was sent, and answers with `CannedClient`'s reply.
    #[cfg(feature = "rest-json")]
    #[derive(Debug)]
    struct RecordingClient {
        reply: CannedClient,
        sent: std::sync::Mutex<Vec<u8>>,
    }

    #[cfg(feature = "rest-json")]
    impl HttpClient for RecordingClient {
        fn send(
            &self,
            request: http::Request<Vec<u8>>,
            max_response_bytes: usize,
        ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
            *self.sent.lock().unwrap() = request.body().clone();
            self.reply.send(request, max_response_bytes)
        }
    }

    #[cfg(feature = "rest-json")]
    #[tokio::test]
    async fn a_client_that_cannot_stream_sends_and_receives_streams_in_memory() {
        use crate::byte_stream::ByteStream;
        let client = RecordingClient {
            reply: CannedClient { status: 200, body: b"the object".to_vec() },
            sent: std::sync::Mutex::new(Vec::new()),
        };
        let request = http::Request::new(ByteStream::from(b"uploaded".to_vec()));
        let response = client.send_streaming(request, 100).await.unwrap();
        assert_eq!(*client.sent.lock().unwrap(), b"uploaded");
        assert_eq!(response.status(), 200);
        assert_eq!(response.into_body().collect().await.unwrap(), b"the object");
        // Its response is held to the limit it was given, through a shared `Arc` too.
        let shared: std::sync::Arc<dyn HttpClient> = std::sync::Arc::new(client);
        let request = http::Request::new(ByteStream::default());
        let error = shared.send_streaming(request, 3).await.unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::ResponseTooLarge { limit: 3 });
    }

    #[test]
    fn transport_error_is_send_sync_and_static() {
        fn assert_bounds<T: Error + Send + Sync + 'static>() {}
        assert_bounds::<TransportError>();
    }
}

#[cfg(all(test, feature = "default-https-client"))]
mod hyper_tests {
    use super::*;
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    /// Bounds every exchange so a client that waits for bytes that never come fails the test
    /// instead of hanging it.
    const TEST_DEADLINE: Duration = Duration::from_secs(10);

    #[test]
    fn the_post_quantum_key_exchange_is_offered_first_with_its_feature_and_only_then() {
        let groups: Vec<rustls::NamedGroup> =
            hyper_client::tls_provider().kx_groups.iter().map(|group| group.name()).collect();
        if cfg!(feature = "tls-post-quantum") {
            assert_eq!(groups.first(), Some(&rustls::NamedGroup::X25519MLKEM768), "{groups:?}");
        } else {
            assert!(!groups.contains(&rustls::NamedGroup::X25519MLKEM768), "{groups:?}");
        }
        // The classical exchange stays, for servers without the hybrid one.
        assert!(groups.contains(&rustls::NamedGroup::X25519), "{groups:?}");
    }

    /// Runs a TLS handshake in memory between a client with this crate's provider, trusting only
    /// the test authority, and a rustls server with ring's full provider (`server_suites` limits
    /// its suites), and returns the suite they agreed on.
    #[cfg(not(feature = "tls-post-quantum"))]
    #[allow(deprecated)]
    fn handshake(
        version: &'static rustls::SupportedProtocolVersion,
        (cert, key): (&str, &str),
        server_name: &str,
        server_suites: Option<Vec<rustls::SupportedCipherSuite>>,
    ) -> Result<rustls::CipherSuite, rustls::Error> {
        use crate::test_certificates::CA_CERT;
        use rustls::pki_types::pem::PemObject as _;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
        use std::sync::Arc;

        let mut roots = rustls::RootCertStore::empty();
        roots.add(CertificateDer::from_pem_slice(CA_CERT.as_bytes()).unwrap()).unwrap();
        let client_config = rustls::ClientConfig::builder_with_provider(Arc::new(hyper_client::tls_provider()))
            .with_protocol_versions(&[version])?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let mut server_provider = rustls::crypto::ring::default_provider();
        if let Some(suites) = server_suites {
            server_provider.cipher_suites = suites;
        }
        let chain = vec![CertificateDer::from_pem_slice(cert.as_bytes()).unwrap()];
        let server_config = rustls::ServerConfig::builder_with_provider(Arc::new(server_provider))
            .with_protocol_versions(&[version])?
            .with_no_client_auth()
            .with_single_cert(chain, PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap())?;
        let name = ServerName::try_from(server_name.to_string()).unwrap();
        let mut client = rustls::ClientConnection::new(Arc::new(client_config), name)?;
        let mut server = rustls::ServerConnection::new(Arc::new(server_config))?;
        // A handshake is a few flights each way; the bound keeps a stuck exchange from looping.
        for _ in 0..16 {
            if !client.is_handshaking() && !server.is_handshaking() {
                break;
            }
            let mut flight = Vec::new();
            client.write_tls(&mut flight).unwrap();
            server.read_tls(&mut flight.as_slice()).unwrap();
            server.process_new_packets()?;
            let mut flight = Vec::new();
            server.write_tls(&mut flight).unwrap();
            client.read_tls(&mut flight.as_slice()).unwrap();
            // The client's error is the one that says why; the server only hears an alert.
            client.process_new_packets()?;
        }
        assert!(!client.is_handshaking(), "the handshake did not finish");
        Ok(client.negotiated_cipher_suite().expect("a suite once the handshake is done").suite())
    }

    #[cfg(not(feature = "tls-post-quantum"))]
    #[test]
    fn the_lean_provider_completes_tls_1_3_and_1_2_handshakes_with_ecdsa_and_rsa_servers_over_aes_gcm() {
        use crate::test_certificates::{ECDSA_CERT, ECDSA_KEY, RSA_CERT, RSA_KEY};
        use rustls::version::{TLS12, TLS13};
        for version in [&TLS13, &TLS12] {
            for (kind, pair) in [("ECDSA", (ECDSA_CERT, ECDSA_KEY)), ("RSA", (RSA_CERT, RSA_KEY))] {
                let suite = handshake(version, pair, "localhost", None)
                    .unwrap_or_else(|e| panic!("{version:?} with an {kind} server: {e}"));
                assert!(format!("{suite:?}").contains("AES_256_GCM"), "{version:?}, {kind}: {suite:?}");
            }
        }
    }

    #[cfg(not(feature = "tls-post-quantum"))]
    #[test]
    fn the_lean_provider_checks_the_name_and_refuses_a_server_that_offers_only_chacha20() {
        use crate::test_certificates::{ECDSA_CERT, ECDSA_KEY};
        use rustls::crypto::ring::cipher_suite::{
            TLS13_CHACHA20_POLY1305_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        };
        use rustls::version::{TLS12, TLS13};
        let error = handshake(&TLS13, (ECDSA_CERT, ECDSA_KEY), "example.com", None).unwrap_err();
        assert!(format!("{error:?}").contains("NotValidForName"), "{error:?}");
        for (version, suite) in
            [(&TLS13, TLS13_CHACHA20_POLY1305_SHA256), (&TLS12, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)]
        {
            let error = handshake(version, (ECDSA_CERT, ECDSA_KEY), "localhost", Some(vec![suite])).unwrap_err();
            assert!(format!("{error:?}").contains("NoCipherSuitesInCommon"), "{version:?}: {error:?}");
        }
    }

    /// The lean provider is rustls' ring provider less ChaCha20-Poly1305: the same AES-GCM suites
    /// for TLS 1.3 and 1.2 in the same order, the same key exchange groups, the same certificate
    /// signature algorithms for every scheme.
    #[cfg(not(feature = "tls-post-quantum"))]
    #[test]
    #[allow(deprecated)]
    fn the_ring_provider_is_rustls_own_without_chacha20() {
        use rustls::crypto::ring::default_provider;
        use rustls::pki_types::SignatureVerificationAlgorithm;
        let (ours, theirs) = (hyper_client::tls_provider(), default_provider());
        let suites = |provider: &rustls::crypto::CryptoProvider| -> Vec<rustls::CipherSuite> {
            provider.cipher_suites.iter().map(|suite| suite.suite()).collect()
        };
        let expected: Vec<rustls::CipherSuite> =
            suites(&theirs).into_iter().filter(|suite| !format!("{suite:?}").contains("CHACHA20")).collect();
        assert_eq!(suites(&ours), expected);
        assert_eq!(expected.len(), 6, "{expected:?}");
        assert!(ours.cipher_suites.iter().any(|suite| suite.version() == &rustls::version::TLS12), "TLS 1.2 stays");
        let groups = |provider: &rustls::crypto::CryptoProvider| -> Vec<rustls::NamedGroup> {
            provider.kx_groups.iter().map(|group| group.name()).collect()
        };
        assert_eq!(groups(&ours), groups(&theirs));
        let ids = |algorithms: &[&dyn SignatureVerificationAlgorithm]| -> Vec<String> {
            algorithms
                .iter()
                .map(|a| format!("{:?} {:?}", a.public_key_alg_id().as_ref(), a.signature_alg_id().as_ref()))
                .collect()
        };
        let (mine, rustls_own) = (&ours.signature_verification_algorithms, &theirs.signature_verification_algorithms);
        assert_eq!(ids(mine.all), ids(rustls_own.all));
        assert_eq!(mine.mapping.len(), rustls_own.mapping.len());
        for ((scheme, algorithms), (their_scheme, their_algorithms)) in mine.mapping.iter().zip(rustls_own.mapping) {
            assert_eq!(scheme, their_scheme);
            assert_eq!(ids(algorithms), ids(their_algorithms), "{scheme:?}");
        }
        let (mut first, mut second) = ([0u8; 32], [0u8; 32]);
        ours.secure_random.fill(&mut first).unwrap();
        ours.secure_random.fill(&mut second).unwrap();
        assert_ne!(first, second, "random bytes");
    }

    /// Starts a one-connection server on 127.0.0.1 that runs `handler` on the accepted socket.
    async fn serve_once<F, Fut>(handler: F) -> (String, tokio::task::JoinHandle<()>)
    where
        F: FnOnce(TcpStream) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            handler(socket).await;
        });
        (format!("http://{addr}"), task)
    }

    /// Reads one request (head plus a Content-Length body) and returns it as text.
    async fn read_request(socket: &mut TcpStream) -> String {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 1024];
        loop {
            let n = socket.read(&mut chunk).await.unwrap();
            assert!(n > 0, "client closed before sending a whole request");
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).to_string();
            if let Some(head_end) = text.find("\r\n\r\n") {
                let length = text[..head_end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap())
                    })
                    .unwrap_or(0);
                if buf.len() >= head_end + 4 + length {
                    return text;
                }
            }
        }
    }

    /// Keeps the connection open without sending anything more.
    async fn hold_open(socket: TcpStream) {
        tokio::time::sleep(TEST_DEADLINE * 2).await;
        drop(socket);
    }

    async fn send(client: &HyperClient, url: &str, limit: usize) -> Result<http::Response<Vec<u8>>, TransportError> {
        let request = http::Request::post(url)
            .header("content-type", "application/x-amz-json-1.1")
            .body(b"{\"jobId\":\"1\"}".to_vec())
            .unwrap();
        tokio::time::timeout(TEST_DEADLINE, client.send(request, limit))
            .await
            .expect("the client should finish without waiting for more bytes")
    }

    #[tokio::test]
    async fn returns_status_headers_and_body_and_sends_the_request_body() {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let (url, server) = serve_once(|mut socket| async move {
            let request = read_request(&mut socket).await;
            socket
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\nx-amzn-requestid: abc\r\n\r\nhello world")
                .await
                .unwrap();
            tx.send(request).unwrap();
        })
        .await;

        let response = send(&HyperClient::new(), &format!("{url}/path"), 11).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-amzn-requestid"], "abc");
        assert_eq!(response.body(), b"hello world");

        let request = rx.await.unwrap();
        assert!(request.starts_with("POST /path HTTP/1.1\r\n"), "{request}");
        assert!(request.contains("content-type: application/x-amz-json-1.1\r\n"), "{request}");
        assert!(request.ends_with("\r\n\r\n{\"jobId\":\"1\"}"), "{request}");
        server.await.unwrap();
    }

    #[tokio::test]
    async fn oversized_content_length_fails_before_the_body_is_read() {
        // The server announces a large body but never sends it: only a client that checks
        // Content-Length up front finishes before the test deadline.
        let (url, _server) = serve_once(|mut socket| async move {
            read_request(&mut socket).await;
            socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\nabc").await.unwrap();
            hold_open(socket).await;
        })
        .await;

        let err = send(&HyperClient::new(), &url, 1000).await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::ResponseTooLarge { limit: 1000 });
        assert!(!err.is_retryable());
    }

    #[tokio::test]
    async fn oversized_chunked_body_fails_once_the_limit_is_passed() {
        // 3 chunks of 4 bytes and no terminating chunk: the client must give up after passing
        // 10 bytes rather than wait for the end of the body.
        let (url, _server) = serve_once(|mut socket| async move {
            read_request(&mut socket).await;
            socket.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\naaaa\r\n").await.unwrap();
            for _ in 0..2 {
                tokio::time::sleep(Duration::from_millis(20)).await;
                socket.write_all(b"4\r\nbbbb\r\n").await.unwrap();
            }
            hold_open(socket).await;
        })
        .await;

        let err = send(&HyperClient::new(), &url, 10).await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::ResponseTooLarge { limit: 10 });
    }

    #[tokio::test]
    async fn chunked_body_of_exactly_the_limit_is_accepted() {
        let (url, _server) = serve_once(|mut socket| async move {
            read_request(&mut socket).await;
            socket
                .write_all(
                    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n",
                )
                .await
                .unwrap();
            hold_open(socket).await;
        })
        .await;

        let response = send(&HyperClient::new(), &url, 10).await.unwrap();
        assert_eq!(response.body(), b"helloworld");
    }

    #[tokio::test]
    async fn connection_closed_mid_body_is_a_retryable_io_error() {
        let (url, server) = serve_once(|mut socket| async move {
            read_request(&mut socket).await;
            socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part of it").await.unwrap();
            // Dropping the socket closes the connection 85 bytes short.
        })
        .await;

        let err = send(&HyperClient::new(), &url, 1000).await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Io);
        assert!(err.is_retryable());
        assert!(err.source().is_some());
        server.await.unwrap();
    }

    #[tokio::test]
    async fn closed_port_is_a_retryable_connect_error() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);

        let client = HyperClient::builder().connect_timeout(Duration::from_secs(2)).build();
        let err = send(&client, &format!("http://{addr}/"), 1000).await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Connect);
        assert!(err.is_retryable());
    }

    #[tokio::test]
    async fn https_uris_are_spoken_tls_to() {
        // A plain-text server cannot complete the handshake, but the first bytes it receives
        // show whether the client started TLS (a handshake record begins with 0x16).
        let (tx, rx) = tokio::sync::oneshot::channel();
        let (url, _server) = serve_once(|mut socket| async move {
            let mut first = [0u8; 1];
            socket.read_exact(&mut first).await.unwrap();
            tx.send(first[0]).unwrap();
            let _ = socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").await;
        })
        .await;
        let url = url.replacen("http://", "https://", 1);

        let err = send(&HyperClient::new(), &url, 1000).await.unwrap_err();
        assert_eq!(rx.await.unwrap(), 0x16);
        assert_eq!(err.kind(), TransportErrorKind::Connect);
    }

    #[test]
    fn debug_output_is_short() {
        let client = HyperClient::builder().connect_timeout(Duration::from_millis(1500)).build();
        assert_eq!(format!("{client:?}"), "HyperClient { connect_timeout: 1.5s, .. }");
    }

    /// Reads one request with a chunked body and returns its head and the body's bytes.
    #[cfg(feature = "rest-json")]
    async fn read_chunked_request(socket: &mut TcpStream) -> (String, Vec<u8>) {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = socket.read(&mut chunk).await.unwrap();
            assert!(n > 0, "client closed before sending a whole request");
            buf.extend_from_slice(&chunk[..n]);
            if buf.ends_with(b"0\r\n\r\n") {
                break;
            }
        }
        let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8(buf[..head_end].to_vec()).unwrap();
        let mut rest = &buf[head_end + 4..];
        let mut body = Vec::new();
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).unwrap(), 16).unwrap();
            rest = &rest[line_end + 2..];
            if size == 0 {
                return (head, body);
            }
            body.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
    }

    #[cfg(feature = "rest-json")]
    #[tokio::test]
    async fn a_file_body_is_streamed_with_its_length_and_the_response_arrives_as_a_stream() {
        use crate::byte_stream::ByteStream;
        let dir = std::env::temp_dir().join(format!("runtime-http-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("upload.bin");
        // Text, since `read_request` returns the request as text.
        let upload: Vec<u8> = (0..200_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        std::fs::write(&path, &upload).unwrap();

        let (tx, rx) = tokio::sync::oneshot::channel();
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        let (url, server) = serve_once(|mut socket| async move {
            let request = read_request(&mut socket).await;
            socket.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n").await.unwrap();
            tx.send(request).unwrap();
            // The second chunk only once the client has read the first: it really is a stream.
            released.await.unwrap();
            socket.write_all(b"6\r\nsecond\r\n0\r\n\r\n").await.unwrap();
            hold_open(socket).await;
        })
        .await;

        let body = ByteStream::from_path(&path).await.unwrap();
        let length = body.content_length().unwrap();
        let request = http::Request::put(format!("{url}/upload")).header("content-length", length).body(body).unwrap();
        let client = HyperClient::new();
        let response = tokio::time::timeout(TEST_DEADLINE, client.send_streaming(request, 1)).await.unwrap().unwrap();
        let request = rx.await.unwrap();
        assert!(request.to_ascii_lowercase().contains("content-length: 200000"), "{}", &request[..200]);
        assert!(request.as_bytes().ends_with(&upload));

        // A limit of 1 byte for in-memory bodies does not apply to a stream the caller reads.
        let mut stream = response.into_body();
        assert_eq!(stream.next().await.unwrap().unwrap(), &b"first"[..]);
        release.send(()).unwrap();
        assert_eq!(stream.next().await.unwrap().unwrap(), &b"second"[..]);
        assert!(stream.next().await.is_none());
        server.abort();
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(feature = "rest-json")]
    #[tokio::test]
    async fn a_body_of_unknown_length_goes_out_chunked_and_a_limited_response_stops() {
        use crate::byte_stream::{BodySource, ByteStream, ByteStreamError, ByteStreamErrorKind};
        use hyper::body::Bytes;
        use std::pin::Pin;
        use std::task::{Context, Poll};

        /// Two chunks of unknown total length.
        struct TwoChunks(u8);
        impl BodySource for TwoChunks {
            fn poll_chunk(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
                let this = self.get_mut();
                this.0 += 1;
                Poll::Ready(match this.0 {
                    1 => Some(Ok(Bytes::from_static(b"part one,"))),
                    2 => Some(Ok(Bytes::from_static(b"part two"))),
                    _ => None,
                })
            }
        }

        let (tx, rx) = tokio::sync::oneshot::channel();
        let (url, _server) = serve_once(|mut socket| async move {
            let request = read_chunked_request(&mut socket).await;
            socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\nabc").await.unwrap();
            tx.send(request).unwrap();
            hold_open(socket).await;
        })
        .await;
        let request = http::Request::post(url).body(ByteStream::from_body(TwoChunks(0))).unwrap();
        let response = HyperClient::new().send_streaming(request, 10).await.unwrap();
        let (head, body) = rx.await.unwrap();
        assert!(head.to_ascii_lowercase().contains("transfer-encoding: chunked"), "{head}");
        assert_eq!(body, b"part one,part two");
        // The client's limit, set on the stream, refuses the declared length before reading.
        let stream = response.into_body();
        assert_eq!(stream.content_length(), Some(1_000_000));
        let error = stream.with_response_limits(1000, None).collect().await.unwrap_err();
        assert_eq!(error.kind(), ByteStreamErrorKind::TooLarge { limit: 1000 });
    }
}
