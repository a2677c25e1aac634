//! A scripted HTTP/1.1 server on 127.0.0.1 for the client tests, and an independent SigV4 checker.
//!
//! The server is hand-rolled on tokio's TCP types rather than built on hyper's server, because
//! several cases need it to misbehave in ways a correct server library will not: stall forever,
//! announce a body and close half-way, or delimit a body only by closing the connection. It reads
//! one request per connection, records it, answers with the next reply of its script and closes.

// Each test binary that includes this module uses a different part of it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The method (`POST`).
    pub method: String,
    /// The request target (`/`).
    pub path: String,
    /// Headers in arrival order, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// The value of a header that must appear exactly once.
    pub fn header(&self, name: &str) -> &str {
        let mut values = self.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let value = values.next().unwrap_or_else(|| panic!("no `{name}` header in {:?}", self.headers));
        assert!(values.next().is_none(), "more than one `{name}` header");
        value
    }

    /// Whether a header is present.
    pub fn has_header(&self, name: &str) -> bool {
        self.headers.iter().any(|(n, _)| n == name)
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("the request body is not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The operation named by `x-amz-target` (`AcknowledgeThirdPartyJob`).
    pub fn operation(&self) -> &str {
        let target = self.header("x-amz-target");
        target
            .strip_prefix("CodePipeline_20150709.")
            .unwrap_or_else(|| panic!("x-amz-target `{target}` lacks the service prefix"))
    }
}

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete response with a `Content-Length`.
    Respond {
        /// The status code.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// A response whose body has no `Content-Length` and ends when the connection closes.
    UntilClose {
        /// The status code.
        status: u16,
        /// The body.
        body: Vec<u8>,
    },
    /// Never answer, keeping the connection open.
    Stall,
    /// Announce a body of `declared` bytes, send `sent` of them, then close the connection.
    Truncate {
        /// The `Content-Length` sent.
        declared: usize,
        /// How many body bytes are actually sent.
        sent: usize,
    },
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Respond { status, headers: Vec::new(), body: body.as_bytes().to_vec() }
    }

    /// An awsJson error response: `__type` set to `code`, and `message`.
    pub fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply::json(status, &serde_json::json!({ "__type": code, "message": message }).to_string())
    }

    /// The same reply with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }
}

/// A running server. It stops when the test's tokio runtime shuts down.
pub struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
}

/// Picks the reply to the request with the given index (from 0).
type Responder = Arc<dyn Fn(&Request, usize) -> Reply + Send + Sync>;

impl Server {
    /// Starts a server answering the n-th request with `script[n]`; once the script runs out, the
    /// last reply answers every further request.
    pub async fn start(script: Vec<Reply>) -> Server {
        assert!(!script.is_empty(), "a server needs at least one reply");
        Server::route(move |_, index| script[index.min(script.len() - 1)].clone()).await
    }

    /// Starts a server that answers each request with what `respond` returns for it and its index
    /// (from 0), e.g. by path, for fakes of services with several resources.
    pub async fn route(respond: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let respond: Responder = Arc::new(respond);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&recorded), Arc::clone(&respond)));
            }
        });
        Server { addr, requests }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `127.0.0.1:<port>`, the `host` header a client should send.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// Every complete request received so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

async fn serve(mut stream: TcpStream, recorded: Arc<Mutex<Vec<Request>>>, respond: Responder) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let index = {
        let mut requests = recorded.lock().unwrap_or_else(|p| p.into_inner());
        requests.push(request.clone());
        requests.len() - 1
    };
    let reply = respond(&request, index);
    // Write errors are ignored: the client may legitimately have given up (a timeout).
    match reply {
        Reply::Respond { status, headers, body } => {
            let mut head = format!("HTTP/1.1 {status} {}\r\ncontent-length: {}\r\n", reason(status), body.len());
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("connection: close\r\n\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
        }
        Reply::UntilClose { status, body } => {
            let head = format!("HTTP/1.1 {status} {}\r\nconnection: close\r\n\r\n", reason(status));
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
        }
        Reply::Stall => {
            std::future::pending::<()>().await;
        }
        Reply::Truncate { declared, sent } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {declared}\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&vec![b' '; sent]).await;
        }
    }
    let _ = stream.flush().await;
    let _ = stream.shutdown().await;
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

/// Reads one request: the head up to the blank line, then `content-length` bytes of body.
/// `None` if the client went away first.
async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).expect("the request head is not UTF-8");
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap_or_else(|| panic!("malformed header line `{line}`"));
            (name.to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map(|(_, v)| v.parse().expect("content-length is a number"))
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Request { method, path, headers, body })
}

/// SigV4 recomputed from the AWS documentation's description, sharing no code with the client.
pub mod sigv4 {
    use super::*;

    fn hmac(key: &[u8], data: &str) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(data.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// Lower-case hex.
    pub fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The signature of `canonical_request` made at `amz_date` (`YYYYMMDDTHHMMSSZ`).
    pub fn signature(secret: &str, amz_date: &str, region: &str, service: &str, canonical_request: &str) -> String {
        let date = &amz_date[..8];
        let scope = format!("{date}/{region}/{service}/aws4_request");
        let string_to_sign =
            format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}", hex(&Sha256::digest(canonical_request.as_bytes())));
        let mut key = hmac(format!("AWS4{secret}").as_bytes(), date);
        for part in [region, service, "aws4_request"] {
            key = hmac(&key, part);
        }
        hex(&hmac(&key, &string_to_sign))
    }

    /// The parts of an `authorization` header.
    #[derive(Debug)]
    pub struct Authorization {
        /// The access key id.
        pub access_key_id: String,
        /// `date/region/service/aws4_request`.
        pub scope: String,
        /// The signed header names, in the order listed.
        pub signed_headers: Vec<String>,
        /// The hex signature.
        pub signature: String,
    }

    /// Parses `AWS4-HMAC-SHA256 Credential=.., SignedHeaders=.., Signature=..`.
    pub fn parse_authorization(value: &str) -> Authorization {
        let rest = value.strip_prefix("AWS4-HMAC-SHA256 ").unwrap_or_else(|| panic!("not SigV4: {value}"));
        let mut parts = rest.split(", ");
        let mut field = |name: &str| {
            let part = parts.next().unwrap_or_else(|| panic!("no {name} in {value}"));
            part.strip_prefix(&format!("{name}=")).unwrap_or_else(|| panic!("expected {name}= in {value}")).to_owned()
        };
        let credential = field("Credential");
        let signed_headers = field("SignedHeaders").split(';').map(str::to_owned).collect();
        let signature = field("Signature");
        let (access_key_id, scope) = credential.split_once('/').expect("credential has a scope");
        Authorization { access_key_id: access_key_id.to_owned(), scope: scope.to_owned(), signed_headers, signature }
    }

    /// Checks a received request's signature from scratch and returns its canonical request.
    ///
    /// Panics unless: the scope names `amz_date`'s day, `region` and `service`; `host`,
    /// `x-amz-date`, `content-type`, `x-amz-target` and (when sent) `x-amz-security-token` are
    /// signed; the signed-header list is sorted; and the signature is right for `secret`.
    pub fn verify(request: &Request, access_key_id: &str, secret: &str, region: &str, service: &str) -> String {
        verify_signing(
            request,
            access_key_id,
            secret,
            region,
            service,
            &["content-type", "host", "x-amz-date", "x-amz-target"],
        )
    }

    /// [`verify`] for a request whose signed headers must include `required` (and
    /// `x-amz-security-token` when sent), e.g. an STS call, which has no `x-amz-target`.
    pub fn verify_signing(
        request: &Request,
        access_key_id: &str,
        secret: &str,
        region: &str,
        service: &str,
        required: &[&str],
    ) -> String {
        let auth = parse_authorization(request.header("authorization"));
        let amz_date = request.header("x-amz-date");
        assert_eq!(auth.access_key_id, access_key_id);
        assert_eq!(auth.scope, format!("{}/{region}/{service}/aws4_request", &amz_date[..8]));
        let mut sorted = auth.signed_headers.clone();
        sorted.sort();
        assert_eq!(auth.signed_headers, sorted, "SignedHeaders must be sorted");
        let mut required = required.to_vec();
        if request.has_header("x-amz-security-token") {
            required.push("x-amz-security-token");
        }
        for name in required {
            assert!(auth.signed_headers.iter().any(|h| h == name), "`{name}` is not signed: {:?}", auth.signed_headers);
        }
        let mut canonical = format!("{}\n{}\n\n", request.method, request.path);
        for name in &auth.signed_headers {
            // Values are trimmed with inner runs of spaces collapsed; repeated headers are joined by commas.
            let values: Vec<String> = request
                .headers
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            assert!(!values.is_empty(), "signed header `{name}` was not sent");
            canonical.push_str(&format!("{name}:{}\n", values.join(",")));
        }
        canonical.push_str(&format!("\n{}\n{}", auth.signed_headers.join(";"), hex(&Sha256::digest(&request.body))));
        let expected = signature(secret, amz_date, region, service, &canonical);
        assert_eq!(auth.signature, expected, "wrong signature for canonical request:\n{canonical}");
        canonical
    }
}
