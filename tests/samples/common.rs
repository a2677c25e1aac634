//! Shared by the sample tests: a [`Recorder`] over the runtime's `RecordingHttpClient` (the crate's
//! dev-dependency on the runtime turns on its `test-util` feature), which records each request and
//! answers with a canned response, so a test sees exactly what the generated client would put on the
//! wire.
//!
//! `tests/tests/real_models.rs` copies this file into each generated crate as `tests/common/mod.rs`;
//! the sample file that uses it names the crate under test `sdk` (`use dynamodb as sdk;`).

// Each sample uses the helpers it needs; the rest would be reported as dead code.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use super::sdk::client::{Config, Credentials, RetryConfig};
use super::sdk::runtime::test_util::{CannedResponse, RecordingHttpClient};
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

/// Records requests and answers each with the same status and body, or with the next of a script:
/// the runtime's `RecordingHttpClient`, with a JSON content type and a request ID on every response,
/// and each request read into a [`Recorded`].
#[derive(Debug, Clone)]
pub struct Recorder {
    http: RecordingHttpClient,
}

impl Recorder {
    /// Answers the requests with `script` (status and JSON body) in order, then every later request
    /// with `fallback`.
    fn answering(fallback: (u16, &str), script: &[(u16, &str)]) -> Self {
        let canned = |(status, body): (u16, &str)| CannedResponse::new(status, body);
        let http = RecordingHttpClient::new(canned(fallback))
            .with_script(script.iter().copied().map(canned))
            .with_response_header("content-type", "application/x-amz-json-1.1")
            .with_response_header("x-amzn-requestid", "req-1");
        Recorder { http }
    }

    /// Answers every request with `status` and the JSON `reply`.
    pub fn replying(status: u16, reply: &str) -> Self {
        Recorder::answering((status, reply), &[])
    }

    /// Answers the n-th request with the n-th of `replies` (status, JSON body); a request past
    /// the script gets a 500 whose error code says so, so a test that sends too much fails.
    pub fn scripted(replies: &[(u16, &str)]) -> Self {
        let past_the_script = r#"{"__type":"NoScriptedReply","message":"the test scripted no reply for this request"}"#;
        Recorder::answering((500, past_the_script), replies)
    }

    /// Answers the requests with `replies` (status and JSON body) in order, then every later
    /// request with the last of them (`replies` must not be empty).
    pub fn script(replies: &[(u16, &str)]) -> Self {
        let (last, first) = replies.split_last().expect("at least one reply");
        Recorder::answering(*last, first)
    }

    /// The same, with `name: value` in every response too.
    pub fn with_header(self, name: &str, value: &str) -> Self {
        Recorder { http: self.http.with_response_header(name, value) }
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
            .http_client(self.http.clone())
    }

    /// Every request sent so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.http.requests().into_iter().map(Recorded::from).collect()
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

impl From<http::Request<Vec<u8>>> for Recorded {
    fn from(request: http::Request<Vec<u8>>) -> Self {
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
        Recorded {
            target,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
            content_encoding,
            uri: parts.uri,
            host,
            headers: parts.headers,
        }
    }
}

/// A local HTTP/1.1 server on its own thread that answers each request with what `respond`
/// returns for its JSON body (status, JSON reply), one request per connection: a fake service
/// for the crate's command-line tool, which runs as a separate process.
pub struct PageServer {
    addr: std::net::SocketAddr,
    bodies: Arc<Mutex<Vec<serde_json::Value>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl PageServer {
    pub fn start(respond: fn(&serde_json::Value) -> (u16, String)) -> PageServer {
        use std::io::{BufRead, Read, Write};
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        listener.set_nonblocking(true).expect("a non-blocking listener");
        let addr = listener.local_addr().expect("a local address");
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (log, done) = (bodies.clone(), stop.clone());
        std::thread::spawn(move || {
            // Bounded: the server stops when the test drops it, or after two minutes.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
            while !done.load(Ordering::Relaxed) && std::time::Instant::now() < deadline {
                let Ok((stream, _)) = listener.accept() else {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    continue;
                };
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
                let Ok(reading) = stream.try_clone() else { continue };
                let mut reader = std::io::BufReader::new(reading);
                let mut line = String::new();
                let mut length = 0;
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line.trim_end() != "" {
                    if let Some((name, value)) = line.trim_end().split_once(':') {
                        if name.eq_ignore_ascii_case("content-length") {
                            length = value.trim().parse().unwrap_or(0);
                        }
                    }
                    line.clear();
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    continue;
                }
                let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                let (status, reply) = respond(&body);
                log.lock().expect("not poisoned").push(body);
                let response = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                    reply.len()
                );
                let mut stream = stream;
                let _ = stream.write_all(response.as_bytes());
            }
        });
        PageServer { addr, bodies, stop }
    }

    /// The request bodies received so far, in order.
    pub fn bodies(&self) -> Vec<serde_json::Value> {
        self.bodies.lock().expect("not poisoned").clone()
    }

    /// Runs the crate's command-line tool `binary` with `args` against this server, with test
    /// credentials, no shared files and no instance metadata: (exit code, stdout, stderr).
    pub fn run_cli(&self, binary: &str, args: &[&str]) -> (i32, String, String) {
        let output = std::process::Command::new(binary)
            .args(args)
            .env_clear()
            .env("AWS_ENDPOINT_URL", format!("http://{}", self.addr))
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
            .env("HOME", "/nonexistent")
            .env("AWS_CONFIG_FILE", "/nonexistent/config")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .expect("the command-line tool runs");
        (
            output.status.code().expect("exited normally"),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}

impl Drop for PageServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}
