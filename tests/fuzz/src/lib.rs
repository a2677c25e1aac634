//! What the runtime fuzz targets share: an HTTP client that answers with responses read from the
//! fuzzer's input, and a paused-clock runtime to drive the async providers on.
//!
//! The input format, readable so seeds can be written by hand: responses separated by a line
//! `%%`; each is a status line (`200`), header lines (`name: value`), a blank line and the body.
//! A response without a blank line is all status and headers with an empty body; a status that
//! does not parse is 200. When the script runs out, the client fails as an unreachable host would
//! not (with a non-retryable error), so every exchange ends.

use std::collections::VecDeque;
use std::sync::Mutex;

use codepipeline_jobs::runtime::http::{BoxFuture, HttpClient, TransportError, TransportErrorKind};

/// Splits the input into its responses; see the crate documentation for the format.
pub fn responses(data: &[u8]) -> VecDeque<http::Response<Vec<u8>>> {
    split(data, b"\n%%\n").into_iter().map(response).collect()
}

fn split<'a>(data: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = find(rest, separator) {
        parts.push(&rest[..at]);
        rest = &rest[at + separator.len()..];
    }
    parts.push(rest);
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

fn response(part: &[u8]) -> http::Response<Vec<u8>> {
    let (head, body) = match find(part, b"\n\n") {
        Some(at) => (&part[..at], part[at + 2..].to_vec()),
        None => (part, Vec::new()),
    };
    let mut lines = head.split(|b| *b == b'\n');
    let status = lines
        .next()
        .and_then(|line| std::str::from_utf8(line).ok())
        .and_then(|line| http::StatusCode::from_bytes(line.trim().as_bytes()).ok())
        .unwrap_or(http::StatusCode::OK);
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    for line in lines {
        let Some(colon) = line.iter().position(|b| *b == b':') else { continue };
        let name = http::HeaderName::from_bytes(&line[..colon]);
        let value = http::HeaderValue::from_bytes(line[colon + 1..].trim_ascii());
        if let (Ok(name), Ok(value)) = (name, value) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// Answers each request with the next scripted response, honouring the size limit as the
/// built-in client does.
#[derive(Debug)]
pub struct ScriptedHttp {
    answers: Mutex<VecDeque<http::Response<Vec<u8>>>>,
}

impl ScriptedHttp {
    /// A client that gives the responses of `data`, in order.
    pub fn new(data: &[u8]) -> Self {
        ScriptedHttp { answers: Mutex::new(responses(data)) }
    }
}

impl HttpClient for ScriptedHttp {
    fn send(
        &self,
        _request: http::Request<Vec<u8>>,
        max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
        let next = self.answers.lock().unwrap_or_else(|p| p.into_inner()).pop_front();
        Box::pin(async move {
            match next {
                Some(response) if response.body().len() > max_response_bytes => {
                    Err(TransportError::response_too_large(max_response_bytes))
                }
                Some(response) => Ok(response),
                None => Err(TransportError::new(TransportErrorKind::Other)),
            }
        })
    }
}

/// Runs `future` to completion on a current-thread runtime whose clock is paused, so timeouts and
/// backoff sleeps advance instantly.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime")
        .block_on(future)
}
