//! A stand-in for the network in tests (feature `test-util`): [`RecordingHttpClient`], an
//! [`HttpClient`] that keeps every request it is sent and answers with responses the test wrote.
//!
//! This workspace's tests, the sample tests of generated crates and the protocol and endpoint tests
//! the generator writes all use this one client, so what "the request as sent" means is decided once:
//! the request exactly as the client handed it over, signed headers, body and extensions included.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! use smithy_lite_runtime::http::HttpClient;
//! use smithy_lite_runtime::test_util::{CannedResponse, RecordingHttpClient};
//!
//! // The first request is throttled; every later one succeeds.
//! let http = RecordingHttpClient::new(CannedResponse::new(200, r#"{"status":"InProgress"}"#))
//!     .with_script([CannedResponse::new(400, r#"{"__type":"ThrottlingException"}"#)])
//!     .with_response_header("x-amzn-requestid", "req-1");
//! let first = http.send(http::Request::new(b"one".to_vec()), 1024).await.unwrap();
//! let second = http.send(http::Request::new(b"two".to_vec()), 1024).await.unwrap();
//! assert_eq!((first.status().as_u16(), second.status().as_u16()), (400, 200));
//! assert_eq!(second.headers()["x-amzn-requestid"], "req-1");
//! let bodies: Vec<Vec<u8>> = http.requests().into_iter().map(|r| r.into_body()).collect();
//! assert_eq!(bodies, [b"one".to_vec(), b"two".to_vec()]);
//! # });
//! ```

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::http::{BoxFuture, HttpClient, TransportError, TransportErrorKind};

/// One response a [`RecordingHttpClient`] gives: a status, headers and a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannedResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl CannedResponse {
    /// A response with this status and body, and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        CannedResponse { status, headers: Vec::new(), body: body.into() }
    }

    /// The same response with `name: value` added to its headers (a name given twice is sent twice).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The response as `http` builds it, with `extra` headers after its own; a status or header that
    /// HTTP cannot carry is an `Other` transport error naming it, so a mistyped test fails clearly.
    fn to_response(&self, extra: &[(String, String)]) -> Result<http::Response<Vec<u8>>, TransportError> {
        let mut response = http::Response::builder().status(self.status);
        for (name, value) in self.headers.iter().chain(extra) {
            response = response.header(name.as_str(), value.as_str());
        }
        response.body(self.body.clone()).map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))
    }
}

/// The default answer: `200` with an empty JSON object.
impl Default for CannedResponse {
    fn default() -> Self {
        CannedResponse::new(200, "{}")
    }
}

/// An [`HttpClient`] that records each request and answers it without a network: first with the
/// responses of its script, in order, then with its fallback response, every time.
///
/// Clones share the record and the script, so a test keeps one clone and gives another to the
/// client's configuration. Like a real client, it refuses a response body longer than the limit the
/// caller passes ([`TransportErrorKind::ResponseTooLarge`]); the request is recorded either way.
#[derive(Debug, Clone, Default)]
pub struct RecordingHttpClient {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    requests: Vec<http::Request<Vec<u8>>>,
    script: VecDeque<CannedResponse>,
    fallback: CannedResponse,
    /// Headers added to every response, scripted or not.
    common_headers: Vec<(String, String)>,
}

impl RecordingHttpClient {
    /// Answers every request with `fallback` (after the script, if one is added).
    pub fn new(fallback: CannedResponse) -> Self {
        RecordingHttpClient { state: Arc::new(Mutex::new(State { fallback, ..State::default() })) }
    }

    /// The same client, answering the next requests with `responses`, in order, before its fallback.
    pub fn with_script(self, responses: impl IntoIterator<Item = CannedResponse>) -> Self {
        self.state().script.extend(responses);
        self
    }

    /// The same client, adding `name: value` to every response it gives (a request ID, say).
    pub fn with_response_header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.state().common_headers.push((name.into(), value.into()));
        self
    }

    /// Every request sent so far, in the order they came.
    pub fn requests(&self) -> Vec<http::Request<Vec<u8>>> {
        self.state().requests.clone()
    }

    /// How many requests were sent so far.
    pub fn request_count(&self) -> usize {
        self.state().requests.len()
    }

    /// The one request sent so far.
    ///
    /// # Panics
    ///
    /// When none or more than one was sent, listing what was (method and URI).
    pub fn only_request(&self) -> http::Request<Vec<u8>> {
        let state = self.state();
        match state.requests.as_slice() {
            [request] => request.clone(),
            others => {
                let sent: Vec<String> = others.iter().map(|r| format!("{} {}", r.method(), r.uri())).collect();
                panic!("expected exactly one request, but {} were sent: {sent:?}", others.len())
            }
        }
    }

    /// Records `request` and takes the next answer: the script's, else the fallback. A body longer
    /// than `limit` is refused; a streamed answer has no limit here (its stream applies one).
    fn record_and_answer(
        &self,
        request: http::Request<Vec<u8>>,
        limit: Option<usize>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let mut state = self.state();
        state.requests.push(request);
        let canned = state.script.pop_front().unwrap_or_else(|| state.fallback.clone());
        match limit {
            Some(limit) if canned.body.len() > limit => Err(TransportError::response_too_large(limit)),
            _ => canned.to_response(&state.common_headers),
        }
    }

    /// The state, also after a test thread panicked while holding it (the record is still worth
    /// reading then).
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl HttpClient for RecordingHttpClient {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
        let answer = self.record_and_answer(request, Some(max_response_bytes));
        Box::pin(async move { answer })
    }

    /// Records the request with its body read whole, and hands the answer's body over as a stream,
    /// as a streaming client does: the response limit is then the stream's to apply (see
    /// [`HttpClient::send_streaming`]), so a caller that lifts it can read a longer body.
    #[cfg(feature = "rest-json")]
    fn send_streaming(
        &self,
        request: http::Request<crate::byte_stream::ByteStream>,
        _max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<http::Response<crate::byte_stream::ByteStream>, TransportError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body.collect().await.map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))?;
            let answer = self.record_and_answer(http::Request::from_parts(parts, body), None)?;
            Ok(answer.map(crate::byte_stream::ByteStream::from))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().expect("a runtime").block_on(future)
    }

    fn send(http: &RecordingHttpClient, body: &str, limit: usize) -> Result<http::Response<Vec<u8>>, TransportError> {
        block_on(http.send(http::Request::new(body.as_bytes().to_vec()), limit))
    }

    #[test]
    fn the_script_comes_first_then_the_fallback_every_time() {
        let http = RecordingHttpClient::new(CannedResponse::new(200, "ok").header("x-kind", "fallback"))
            .with_script([CannedResponse::new(500, "first"), CannedResponse::new(429, "second")])
            .with_response_header("x-amzn-requestid", "r1");
        let answers: Vec<(u16, Vec<u8>)> =
            (0..4).map(|_| send(&http, "", 100).unwrap()).map(|r| (r.status().as_u16(), r.into_body())).collect();
        assert_eq!(
            answers,
            [(500, b"first".to_vec()), (429, b"second".to_vec()), (200, b"ok".to_vec()), (200, b"ok".to_vec())]
        );
        let last = send(&http, "", 100).unwrap();
        assert_eq!(last.headers()["x-kind"], "fallback");
        assert_eq!(last.headers()["x-amzn-requestid"], "r1");
    }

    #[test]
    fn clones_share_the_record_and_requests_keep_their_extensions() {
        let http = RecordingHttpClient::default();
        let given_away = http.clone();
        let mut request = http::Request::new(b"secret".to_vec());
        request.extensions_mut().insert(crate::http::SensitiveBody);
        let response = block_on(given_away.send(request, 10)).unwrap();
        assert_eq!((response.status().as_u16(), response.body().as_slice()), (200, &b"{}"[..]));
        let recorded = http.only_request();
        assert_eq!(recorded.body(), b"secret");
        assert!(recorded.extensions().get::<crate::http::SensitiveBody>().is_some());
        assert_eq!(http.request_count(), 1);
    }

    #[test]
    fn a_body_over_the_limit_is_refused_and_the_request_still_recorded() {
        let http = RecordingHttpClient::new(CannedResponse::new(200, "12345"));
        assert_eq!(send(&http, "a", 4).unwrap_err().kind(), TransportErrorKind::ResponseTooLarge { limit: 4 });
        assert_eq!(send(&http, "b", 5).unwrap().body(), b"12345", "exactly the limit is accepted");
        assert_eq!(http.request_count(), 2);
    }

    #[cfg(feature = "rest-json")]
    #[test]
    fn a_streamed_answer_is_handed_over_whole_and_its_stream_applies_the_limit() {
        let http = RecordingHttpClient::new(CannedResponse::new(200, "0123456789"));
        let request = http::Request::new(crate::byte_stream::ByteStream::from(b"upload".to_vec()));
        let response = block_on(http.send_streaming(request, 4)).expect("a stream is not refused at the limit");
        assert_eq!(http.only_request().body(), b"upload");
        let body = block_on(response.into_body().with_max_bytes(Some(10)).collect()).unwrap();
        assert_eq!(body, b"0123456789");
    }

    #[test]
    fn a_response_http_cannot_carry_is_a_transport_error() {
        let http = RecordingHttpClient::new(CannedResponse::new(200, "").header("bad name", "v"));
        assert_eq!(send(&http, "", 10).unwrap_err().kind(), TransportErrorKind::Other);
        let http = RecordingHttpClient::new(CannedResponse::new(1000, ""));
        assert_eq!(send(&http, "", 10).unwrap_err().kind(), TransportErrorKind::Other);
    }

    #[test]
    #[should_panic(expected = "expected exactly one request, but 2 were sent")]
    fn only_request_names_what_was_sent_when_it_is_not_one() {
        let http = RecordingHttpClient::default();
        send(&http, "", 10).unwrap();
        send(&http, "", 10).unwrap();
        http.only_request();
    }
}
