//! Shared by the sample tests: an `HttpClient` that records each request and answers with a canned
//! response, so a test sees exactly what the generated client would put on the wire.
//!
//! `tests/tests/real_models.rs` copies this file into each generated crate as `tests/common/mod.rs`;
//! the sample file that uses it names the crate under test `sdk` (`use dynamodb as sdk;`).

// Each sample uses the helpers it needs; the rest would be reported as dead code.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::sdk::client::{Config, Credentials, RetryConfig};
use super::sdk::runtime::http::{BoxFuture, HttpClient, TransportError};
use super::sdk::Client;

/// One request as the client sent it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The `x-amz-target` header (`DynamoDB_20120810.PutItem`).
    pub target: String,
    /// The `content-type` header.
    pub content_type: String,
    /// The body, as text (bytes that are not UTF-8, such as a compressed body, show as U+FFFD).
    pub body: String,
    /// The body as sent.
    pub bytes: Vec<u8>,
    /// The `content-encoding` header, if any.
    pub content_encoding: Option<String>,
    /// The request's URI.
    pub uri: http::Uri,
    /// The `host` header.
    pub host: String,
    /// Every header as sent.
    pub headers: http::HeaderMap,
}

/// Records requests and answers each with the same status and body.
#[derive(Debug, Clone)]
pub struct Recorder {
    requests: Arc<Mutex<Vec<Recorded>>>,
    status: u16,
    reply: String,
    /// Headers added to every response.
    reply_headers: Vec<(String, String)>,
    /// Replies given, in order, before `status` and `reply` (see [`Recorder::script`]).
    script: Arc<Mutex<VecDeque<(u16, String)>>>,
}

impl Recorder {
    /// Answers every request with `status` and the JSON `reply`.
    pub fn replying(status: u16, reply: &str) -> Self {
        Recorder {
            requests: Arc::default(),
            status,
            reply: reply.to_owned(),
            reply_headers: Vec::new(),
            script: Arc::default(),
        }
    }

    /// Answers the requests with `replies` (status and JSON body) in order, then every later
    /// request with the last of them (`replies` must not be empty).
    pub fn script(replies: &[(u16, &str)]) -> Self {
        let (&(status, last), first) = replies.split_last().expect("at least one reply");
        let recorder = Recorder::replying(status, last);
        recorder
            .script
            .lock()
            .expect("not poisoned")
            .extend(first.iter().map(|(status, reply)| (*status, reply.to_string())));
        recorder
    }

    /// The same, with `name: value` in every response too.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.reply_headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A client that sends through this recorder, without retries.
    pub fn client(&self) -> Client {
        self.client_with(Config::builder())
    }

    /// A client from `config` with this recorder, a region, test credentials and no retries.
    pub fn client_with(&self, config: Config) -> Client {
        Client::from_conf(self.configure(config)).expect("a complete configuration")
    }

    /// The configuration of [`Recorder::client`], to adjust before building a client.
    pub fn config(&self) -> Config {
        self.configure(Config::builder())
    }

    /// `config` with this recorder, a region, test credentials and no retries.
    fn configure(&self, config: Config) -> Config {
        config
            .region("us-east-1")
            .credentials_provider(Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                None,
            ))
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .http_client(self.clone())
    }

    /// Every request sent so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("not poisoned").clone()
    }

    /// The one request sent so far (fails when there were none or several).
    pub fn only(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {requests:#?}"
        );
        requests.into_iter().next().expect("one request")
    }
}

impl HttpClient for Recorder {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        _max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let content_encoding = request
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().expect("an ASCII header").to_owned());
        let (target, content_type, host) = (header("x-amz-target"), header("content-type"), header("host"));
        let (parts, bytes) = request.into_parts();
        let recorded = Recorded {
            target,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
            content_encoding,
            uri: parts.uri,
            host,
            headers: parts.headers,
        };
        self.requests.lock().expect("not poisoned").push(recorded);
        let (status, reply) = self
            .script
            .lock()
            .expect("not poisoned")
            .pop_front()
            .unwrap_or_else(|| (self.status, self.reply.clone()));
        let mut response = http::Response::builder()
            .status(status)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amzn-requestid", "req-1");
        for (name, value) in &self.reply_headers {
            response = response.header(name, value);
        }
        let response = response
            .body(reply.into_bytes())
            .expect("a valid response");
        Box::pin(async move { Ok(response) })
    }
}
