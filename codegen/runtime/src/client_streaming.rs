//! The call pipeline of operations whose request or response body is a stream (a `@streaming` blob
//! bound to `@httpPayload`): [`Runtime::invoke_streaming`] and the [`StreamingResponse`] it returns.
//!
//! Like [`Runtime::invoke_rest`], with three differences. The body is signed by its SHA-256 when it
//! can be read twice (bytes, a file: the file is read once to hash it), else as `UNSIGNED-PAYLOAD`,
//! announced in `x-amz-content-sha256`. A retry sends a fresh copy of the body, so a body that can be
//! read only once is sent once. And a successful response's body is handed over unread, armed with the
//! client's `max_response_bytes` and what is left of its time limits, which the caller may lift.

use std::time::Duration;

use super::super::byte_stream::{ByteStream, ByteStreamError};
use super::super::error::{
    request_id, ConfigError, ErrorMetadata, ResponseError, SdkError, ServiceError, TimeoutError,
};
use super::super::http::{TransportError, TransportErrorKind};
use super::super::retry::{classify, is_clock_skew_error, random_backoff_delay};
use super::{Call, RawResponse, Runtime};

/// The payload hash of a body sent unsigned, and the header value that announces it.
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// A successful response whose body is a stream still to be read.
///
/// `Debug` shows the body's length, not its bytes.
#[derive(Debug)]
pub struct StreamingResponse {
    /// The HTTP status.
    pub status: u16,
    /// The request ID, if the service sent one.
    pub request_id: Option<String>,
    /// The headers.
    pub headers: http::HeaderMap,
    /// The body, unread; held to the client's size and time limits unless lifted (see
    /// [`ByteStream::with_max_bytes`] and [`ByteStream::without_time_limit`]).
    pub body: ByteStream,
}

impl StreamingResponse {
    /// A [`ResponseError`] for a response whose headers could not be read.
    pub fn unreadable(&self, error: impl std::error::Error + Send + Sync + 'static) -> ResponseError {
        ResponseError::new(
            self.status,
            self.request_id.clone(),
            "the response does not match the model",
            Some(Box::new(error)),
        )
    }

    /// The response with its body read whole, within its limits: for an operation whose input
    /// streams but whose output does not.
    pub async fn into_raw<E>(self) -> Result<RawResponse, SdkError<E>> {
        let StreamingResponse { status, request_id, headers, body } = self;
        let body = body.collect().await.map_err(body_error)?;
        Ok(RawResponse { status, request_id, headers, body })
    }
}

impl Runtime {
    /// Sends a restJson1 call whose body is `body`, retrying as configured while the body can be sent
    /// again, and returns the successful response with its body unread.
    ///
    /// `parse_error` and `is_retryable` are [`Runtime::invoke_rest`]'s; an error response's body is
    /// read whole, within `max_response_bytes`, to find the error.
    pub async fn invoke_streaming<E>(
        &self,
        call: Call,
        body: ByteStream,
        parse_error: fn(&ErrorMetadata, &http::HeaderMap, &[u8]) -> E,
        is_retryable: fn(&E) -> bool,
    ) -> Result<StreamingResponse, SdkError<E>> {
        let deadline = self.call_timeout.map(|limit| (tokio::time::Instant::now() + limit, limit));
        let attempts = self.streaming_attempts(call, body, deadline.map(|(at, _)| at), parse_error, is_retryable);
        match deadline {
            None => attempts.await,
            Some((at, limit)) => match tokio::time::timeout_at(at, attempts).await {
                Ok(result) => result,
                Err(_) => Err(SdkError::Timeout(TimeoutError::new("call", limit))),
            },
        }
    }

    async fn streaming_attempts<E>(
        &self,
        call: Call,
        body: ByteStream,
        call_deadline: Option<tokio::time::Instant>,
        parse_error: fn(&ErrorMetadata, &http::HeaderMap, &[u8]) -> E,
        is_retryable: fn(&E) -> bool,
    ) -> Result<StreamingResponse, SdkError<E>> {
        #[cfg(feature = "content-md5")]
        let content_md5 = call.content_md5;
        #[cfg(not(feature = "content-md5"))]
        let content_md5 = false;
        if content_md5 && !body.is_replayable() {
            // The generated code refuses such a body at its member first; this covers other callers.
            let violation =
                super::super::validate::Violation::new("", super::super::validate::ViolationKind::NotReplayable);
            return Err(SdkError::Validation(super::super::validate::ValidationError::new(vec![violation])));
        }
        let digests = body.payload_digests(content_md5).await.map_err(body_error)?;
        #[cfg(feature = "content-md5")]
        let md5_header = digests.as_ref().and_then(|d| d.md5).map(|digest| super::content_md5_of_digest(&digest));
        let payload_hash = digests.map(|d| d.sha256_hex);
        let length = body.content_length();
        let max_attempts = self.retry.max_attempts().max(1);
        let mut body = body;
        let mut attempt = 1;
        loop {
            // A copy for the next attempt, taken before this one reads the body.
            let spare = body.try_clone();
            let target = self.attempt_target(&call).await?;
            let endpoint = target.endpoint();
            let (method, uri, mut headers) =
                self.request_head(endpoint, target.destination(), &call, None, length, None)?;
            if length.is_none() {
                // A body of unknown length goes out chunked; a `Content-Length` would cut it short.
                headers.remove(http::header::CONTENT_LENGTH);
            }
            #[cfg(feature = "content-md5")]
            if let Some(value) = &md5_header {
                headers.insert(http::header::HeaderName::from_static("content-md5"), value.clone());
            }
            let hash = match &payload_hash {
                Some(hash) => hash.as_str(),
                None => {
                    headers.insert(
                        http::header::HeaderName::from_static("x-amz-content-sha256"),
                        http::HeaderValue::from_static(UNSIGNED_PAYLOAD),
                    );
                    UNSIGNED_PAYLOAD
                }
            };
            let params = self.signing_params(endpoint, &target.credentials);
            self.signer
                .sign_with_payload_hash(&method, &uri, &mut headers, hash, &params)
                .map_err(|e| SdkError::Config(ConfigError::new(format!("cannot sign the request: {e}"))))?;
            let mut request = http::Request::new(body);
            *request.method_mut() = method;
            *request.uri_mut() = uri;
            *request.headers_mut() = headers;

            let attempt_deadline = self.attempt_timeout.map(|limit| (tokio::time::Instant::now() + limit, limit));
            let send = self.http.send_streaming(request, self.max_response_bytes);
            let outcome = match attempt_deadline {
                None => send.await.map_err(AttemptFailure::Transport),
                Some((at, limit)) => match tokio::time::timeout_at(at, send).await {
                    Ok(result) => result.map_err(AttemptFailure::Transport),
                    Err(_) => Err(AttemptFailure::Timeout(limit)),
                },
            };
            // The body is read within the earlier of the two limits, as a response read whole would be.
            let read_deadline = match (call_deadline, attempt_deadline.map(|(at, _)| at)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            // What failed, and whether another attempt may help (after a backoff, or at once).
            let (failure, retry) = match outcome {
                Err(AttemptFailure::Transport(e)) => {
                    let retryable = e.is_retryable();
                    (SdkError::Transport(Box::new(e)), retryable.then_some(Retry::AfterBackoff))
                }
                Err(AttemptFailure::Timeout(limit)) => {
                    (SdkError::Timeout(TimeoutError::new("attempt", limit)), Some(Retry::AfterBackoff))
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    let (parts, body) = response.into_parts();
                    let body = body.with_response_limits(self.max_response_bytes as u64, read_deadline);
                    if (200..300).contains(&status) {
                        let request_id = request_id(&parts.headers);
                        return Ok(StreamingResponse { status, request_id, headers: parts.headers, body });
                    }
                    let bytes = body.collect().await.map_err(body_error)?;
                    let (meta, error_body) = super::super::rest::error_metadata(status, &parts.headers, &bytes);
                    let error = parse_error(&meta, &parts.headers, error_body);
                    let skew_corrected =
                        meta.code().is_some_and(is_clock_skew_error) && self.correct_clock_skew(&parts.headers);
                    let retry = if skew_corrected {
                        // The next attempt is signed at the corrected time; no backoff is needed.
                        Some(Retry::AtOnce)
                    } else {
                        classify(status, meta.code(), is_retryable(&error))
                            .is_retryable()
                            .then_some(Retry::AfterBackoff)
                    };
                    (SdkError::Service(ServiceError::new(error, meta)), retry)
                }
            };
            match (retry, spare) {
                (Some(retry), Some(next)) if attempt < max_attempts => {
                    if retry == Retry::AfterBackoff {
                        tokio::time::sleep(random_backoff_delay(&self.retry, attempt)).await;
                    }
                    body = next;
                    attempt += 1;
                }
                _ => return Err(failure),
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Retry {
    AtOnce,
    AfterBackoff,
}

enum AttemptFailure {
    Transport(TransportError),
    Timeout(Duration),
}

/// A body that could not be read (the request's file, or an error response) fails the call as the
/// transport failing would.
fn body_error<E>(error: ByteStreamError) -> SdkError<E> {
    SdkError::Transport(Box::new(TransportError::with_source(TransportErrorKind::Other, error)))
}

#[cfg(test)]
mod tests {
    use super::super::super::byte_stream::{BodySource, ByteStreamErrorKind};
    use super::super::super::credentials::Credentials;
    use super::super::super::http::{BoxFuture, HttpClient};
    use super::super::super::retry::RetryConfig;
    use super::super::{Config, ServiceInfo};
    use super::*;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll};

    const INFO: ServiceInfo = ServiceInfo {
        endpoint_prefix: "svc",
        signing_name: "svc",
        target_prefix: "Svc",
        content_type: "application/json",
        endpoint_env_suffix: "SVC",
        user_agent: "test/0",
        endpoint_rules: None,
        query_compatible: false,
    };

    /// One reply: status, headers, and a body (`None`: a body that never arrives).
    type Reply = (u16, Vec<(&'static str, &'static str)>, Option<&'static [u8]>);

    /// A request as it was sent: its head and the body it streamed.
    type Sent = (http::request::Parts, Vec<u8>);

    /// Records each request (head and the body it streamed) and answers with the next reply.
    #[derive(Debug, Clone, Default)]
    struct Streaming {
        replies: Arc<Mutex<Vec<Reply>>>,
        sent: Arc<Mutex<Vec<Sent>>>,
    }

    /// A body that never delivers.
    struct Silent;

    impl BodySource for Silent {
        fn poll_chunk(
            self: Pin<&mut Self>,
            _cx: &mut Context<'_>,
        ) -> Poll<Option<Result<bytes::Bytes, ByteStreamError>>> {
            Poll::Pending
        }
    }

    /// A body that can be read only once.
    struct OneShot(Option<&'static [u8]>);

    impl BodySource for OneShot {
        fn poll_chunk(
            self: Pin<&mut Self>,
            _cx: &mut Context<'_>,
        ) -> Poll<Option<Result<bytes::Bytes, ByteStreamError>>> {
            Poll::Ready(self.get_mut().0.take().map(|b| Ok(bytes::Bytes::from_static(b))))
        }
    }

    impl HttpClient for Streaming {
        fn send(
            &self,
            _request: http::Request<Vec<u8>>,
            _max_response_bytes: usize,
        ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
            unreachable!("streaming calls use send_streaming")
        }

        fn send_streaming(
            &self,
            request: http::Request<ByteStream>,
            _max_response_bytes: usize,
        ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
            Box::pin(async move {
                let (parts, body) = request.into_parts();
                let body = body.collect().await.map_err(|e| TransportError::with_source(TransportErrorKind::Io, e))?;
                self.sent.lock().unwrap().push((parts, body));
                let (status, headers, reply) = self.replies.lock().unwrap().remove(0);
                let mut response = http::Response::builder().status(status);
                for (name, value) in headers {
                    response = response.header(name, value);
                }
                let body = match reply {
                    Some(bytes) => ByteStream::from(bytes),
                    None => ByteStream::from_body(Silent),
                };
                Ok(response.body(body).unwrap())
            })
        }
    }

    impl Streaming {
        fn new(replies: Vec<Reply>) -> Self {
            Streaming { replies: Arc::new(Mutex::new(replies)), sent: Arc::default() }
        }

        fn runtime(&self, config: Config) -> Runtime {
            let config = config
                .region("us-east-1")
                .credentials_provider(Credentials::new("AKID", "SECRET", None))
                .http_client(self.clone())
                .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)));
            Runtime::new(INFO, config).unwrap()
        }

        fn sent(&self) -> Vec<Sent> {
            self.sent.lock().unwrap().clone()
        }
    }

    fn put_call() -> Call {
        let mut call = Call::new("PutObject").http_request("PUT", "/objects/a".to_string());
        call.content_type("application/octet-stream").unwrap();
        call
    }

    fn error_code(meta: &ErrorMetadata, headers: &http::HeaderMap, _body: &[u8]) -> String {
        format!("{}|{}", meta.code().unwrap_or("-"), headers.get("x-detail").map_or("-", |v| v.to_str().unwrap()))
    }

    #[tokio::test]
    async fn bytes_are_signed_by_their_hash_and_the_response_body_is_a_stream_held_to_the_limit() {
        let http = Streaming::new(vec![(200, vec![("x-amzn-requestid", "r-1")], Some(b"0123456789"))]);
        let runtime = http.runtime(Config::builder().max_response_bytes(4));
        let response = runtime
            .invoke_streaming(put_call(), ByteStream::from(b"upload".to_vec()), error_code, |_| false)
            .await
            .unwrap();
        let sent = http.sent();
        let (head, body) = &sent[0];
        assert_eq!((head.method.as_str(), head.uri.path(), body.as_slice()), ("PUT", "/objects/a", &b"upload"[..]));
        assert_eq!(head.headers["content-length"], "6");
        assert!(head.headers.get("x-amz-content-sha256").is_none(), "a body in memory is signed by its hash");
        assert!(head.headers["authorization"].to_str().unwrap().starts_with("AWS4-HMAC-SHA256 Credential=AKID/"));
        assert_eq!((response.status, response.request_id.as_deref()), (200, Some("r-1")));
        assert!(format!("{response:?}").contains("ByteStream"));
        // The client's limit of 4 bytes holds for the stream unless the caller lifts it.
        let error = response.body.collect().await.unwrap_err();
        assert_eq!(error.kind(), ByteStreamErrorKind::TooLarge { limit: 4 });

        let http = Streaming::new(vec![(200, vec![], Some(b"0123456789"))]);
        let runtime = http.runtime(Config::builder().max_response_bytes(4));
        let response =
            runtime.invoke_streaming(put_call(), ByteStream::default(), error_code, |_| false).await.unwrap();
        assert_eq!(response.body.with_max_bytes(None).collect().await.unwrap(), b"0123456789");
    }

    #[tokio::test]
    async fn a_file_is_sent_again_on_a_retry_and_a_one_shot_body_only_once() {
        let dir = std::env::temp_dir().join(format!("runtime-client-streaming-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("upload.txt");
        std::fs::write(&path, "file contents").unwrap();
        let busy: Reply = (503, vec![("x-amzn-errortype", "ServiceUnavailable")], Some(b"{}"));
        let http = Streaming::new(vec![busy.clone(), (200, vec![], Some(b""))]);
        let body = ByteStream::from_path(&path).await.unwrap();
        let response = http.runtime(Config::builder()).invoke_streaming(put_call(), body, error_code, |_| false).await;
        assert_eq!(response.unwrap().status, 200);
        let sent = http.sent();
        assert_eq!(sent.len(), 2);
        for (head, body) in &sent {
            assert_eq!(body, b"file contents");
            assert_eq!(head.headers["content-length"], "13");
            assert!(head.headers.get("x-amz-content-sha256").is_none(), "a file is hashed, not sent unsigned");
        }

        // The same error with a body that cannot be read twice: one attempt, and the error.
        let http = Streaming::new(vec![busy, (200, vec![], Some(b""))]);
        let body = ByteStream::from_body(OneShot(Some(b"once")));
        let error = http.runtime(Config::builder()).invoke_streaming(put_call(), body, error_code, |_| false).await;
        let Err(SdkError::Service(error)) = error else { panic!("expected the service's error") };
        assert_eq!(error.err(), "ServiceUnavailable|-");
        let sent = http.sent();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].0.headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
        assert!(sent[0].0.headers.get("content-length").is_none(), "its length is unknown");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(feature = "content-md5")]
    #[tokio::test]
    async fn content_md5_is_taken_from_bytes_and_files_before_sending_and_a_one_shot_body_is_refused() {
        let dir = std::env::temp_dir().join(format!("runtime-client-streaming-md5-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("upload.txt");
        std::fs::write(&path, "file contents").unwrap();
        let busy: Reply = (503, vec![("x-amzn-errortype", "ServiceUnavailable")], Some(b"{}"));
        let http = Streaming::new(vec![busy, (200, vec![], Some(b"")), (200, vec![], Some(b""))]);
        let runtime = http.runtime(Config::builder());
        let file = ByteStream::from_path(&path).await.unwrap();
        runtime.invoke_streaming(put_call().content_md5(), file, error_code, |_| false).await.unwrap();
        let bytes = ByteStream::from(b"upload".to_vec());
        runtime.invoke_streaming(put_call().content_md5(), bytes, error_code, |_| false).await.unwrap();
        let sent = http.sent();
        assert_eq!(sent.len(), 3, "the file is sent twice (a retry), the bytes once");
        // `printf 'file contents' | openssl md5 -binary | base64`, on the retry as on the first attempt.
        for (head, _) in &sent[..2] {
            assert_eq!(head.headers["content-md5"], "So7E+l8BtKsaCrjLzLcJ8A==");
            let authorization = head.headers["authorization"].to_str().unwrap();
            assert!(authorization.contains(";content-md5;"), "the digest is signed: {authorization}");
        }
        // `printf 'upload' | openssl md5 -binary | base64`
        assert_eq!(sent[2].0.headers["content-md5"], "du496Xobi5AzGbfAE9jIdw==");

        let one_shot = ByteStream::from_body(OneShot(Some(b"once")));
        let error = runtime.invoke_streaming(put_call().content_md5(), one_shot, error_code, |_| false).await;
        let Err(SdkError::Validation(error)) = error else { panic!("expected a validation error") };
        assert!(error.to_string().contains("checksum of the body"), "{error}");
        assert_eq!(http.sent().len(), 3, "nothing more was sent");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn error_responses_are_read_whole_and_parsed_with_their_headers() {
        let reply: Reply = (
            404,
            vec![("x-amzn-errortype", "aws.example#NoSuchObject:http://x/"), ("x-detail", "gone")],
            Some(br#"{"message":"no such object"}"#),
        );
        let http = Streaming::new(vec![reply]);
        let result = http
            .runtime(Config::builder())
            .invoke_streaming(put_call(), ByteStream::default(), error_code, |_| false)
            .await;
        let Err(SdkError::Service(error)) = result else { panic!("expected the service's error") };
        assert_eq!(error.err(), "NoSuchObject|gone");
        assert_eq!((error.meta().status(), error.meta().message()), (Some(404), Some("no such object")));
    }

    #[tokio::test]
    async fn a_response_body_that_stops_arriving_fails_at_the_call_timeout() {
        let http = Streaming::new(vec![(200, vec![], None)]);
        let runtime = http.runtime(Config::builder().call_timeout(Some(Duration::from_millis(100))));
        let response =
            runtime.invoke_streaming(put_call(), ByteStream::default(), error_code, |_| false).await.unwrap();
        let error = response.body.collect().await.unwrap_err();
        assert_eq!(error.kind(), ByteStreamErrorKind::TimedOut);
    }
}
