//! Emits `tests/protocol_tests/` of a crate whose model has HTTP protocol tests: every client-side
//! case of `smithy.test#httpRequestTests` (on operations) and `smithy.test#httpResponseTests` (on
//! operations and error structures) for the service's protocol, as one `#[tokio::test]` each.
//!
//! The cases are generated Rust rather than data with one interpreter, because each builds a value of
//! its own type from the case's `params` with the crate's builders (the code the endpoint tests' calls
//! use, `emit::values`), and then the test's name is the case's ID, so `cargo test` reports, filters
//! and counts the cases one by one. `harness.rs` is the same in every crate: a recording HTTP client
//! that answers with the case's response, the client every case uses, and the checks.
//!
//! A request case builds its input from `params`, makes the call with the case's host as the
//! endpoint, and checks the one request sent: method, path, query, host, headers (exact, forbidden,
//! required) and body (as JSON when the case says the body is JSON). A response case feeds the
//! case's status, headers and body to the call and compares the output (or, for an error structure,
//! the error) with the value built from `params`. A case whose `params` the generator cannot build
//! becomes a test that fails saying why, so no case goes missing.
//!
//! `main.rs` declares both modules with `#[rustfmt::skip]`, as the crate's own modules are: the
//! generator prints them, rustfmt would only reflow them.

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime_paths::{TEST_UTIL_CANNED_RESPONSE, TEST_UTIL_RECORDING_HTTP_CLIENT};
use super::tokens::{ident, inner_doc_lines, prefixed};
use super::values::value_tokens;
use super::RustFile;
use crate::ir::{Presence, ProtocolTest, ProtocolTestKind, Service};
use crate::naming::snake;

/// The files of `tests/protocol_tests/`.
pub struct ProtocolTests {
    /// `main.rs`.
    pub main: RustFile,
    /// `harness.rs`.
    pub harness: RustFile,
    /// `cases.rs`.
    pub cases: RustFile,
}

/// Every file of `tests/protocol_tests/`, for a service with at least one case.
pub fn emit(service: &Service) -> ProtocolTests {
    let tests = &service.protocol_tests;
    let count = |wanted: fn(&ProtocolTestKind) -> bool| tests.iter().filter(|t| wanted(&t.kind)).count();
    let cases_of = |n: usize, what: &str| format!("{n} {what} case{}", if n == 1 { "" } else { "s" });
    let text = format!(
        "The client-side HTTP protocol test cases of the service's model for its protocol (Smithy's \
         `smithy.test#httpRequestTests` and `smithy.test#httpResponseTests`): {}, {} and {}, one test each in \
         `cases.rs`, named after the case's trait and ID, with the client and checks of `harness.rs`.\n",
        cases_of(count(|k| *k == ProtocolTestKind::Request), "request"),
        cases_of(count(|k| *k == ProtocolTestKind::Response), "response"),
        cases_of(count(|k| matches!(k, ProtocolTestKind::Error(_))), "error response"),
    );
    let mut main = RustFile::new(inner_doc_lines(&text));
    main.push(quote! {
        #[rustfmt::skip]
        mod harness;
        #[rustfmt::skip]
        mod cases;
    });
    let mut cases = RustFile::new(quote! {
        //! One test per protocol test case of the model, in the model's order of operations and errors.
    });
    cases.push(quote! {
        use super::harness;
    });
    for test in tests {
        cases.push(case_fn(service, test));
    }
    ProtocolTests { main, harness: harness_file(service), cases }
}

/// A case's test function name: `request_` or `response_` and the case ID in snake case
/// (`AwsJson11Enums` -> `request_aws_json11_enums`). Smithy's IDs are unique among the request cases
/// and among the response cases, but a request case and a response case may share one.
pub fn test_name(kind: &ProtocolTestKind, id: &str) -> String {
    format!("{}_{}", kind_name(kind), snake(id))
}

/// `request` or `response` (error response cases too): which of the two traits a case comes from.
pub fn kind_name(kind: &ProtocolTestKind) -> &'static str {
    match kind {
        ProtocolTestKind::Request => "request",
        ProtocolTestKind::Response | ProtocolTestKind::Error(_) => "response",
    }
}

fn case_fn(service: &Service, test: &ProtocolTest) -> TokenStream {
    let case = &test.case;
    let name = ident(&test_name(&test.kind, &case.id));
    let mut docs = format!("`{}`", case.id);
    if let Some(documentation) = &case.documentation {
        docs.push_str(": ");
        docs.push_str(documentation.trim());
    }
    let docs = super::tokens::doc_lines(&docs);
    let body = match case_body(service, test) {
        Ok(body) => body,
        Err(why) => {
            let message = format!("the generator cannot build this case: {why}");
            quote!(panic!(#message);)
        }
    };
    quote! {
        #docs
        #[tokio::test]
        async fn #name() {
            #body
        }
    }
}

fn case_body(service: &Service, test: &ProtocolTest) -> Result<TokenStream, String> {
    let case = &test.case;
    let krate = ident(&service.crate_name.replace('-', "_"));
    let operation = service
        .operations
        .iter()
        .find(|op| op.name == test.operation)
        .ok_or_else(|| format!("the crate has no operation `{}`", test.operation))?;
    let method = prefixed("call_", &operation.fn_name);
    let values = test.values.as_ref().map_err(String::clone)?;
    let input = value_tokens(service, &values.input);
    let expected = values.expected.as_ref().map(|expected| value_tokens(service, expected));
    let host = option_str(case.host.as_deref());
    let headers = case.headers.iter().map(|(name, value)| quote!((#name, #value)));
    Ok(match &test.kind {
        ProtocolTestKind::Request => {
            let expected_method = case.method.as_deref().unwrap_or_default();
            let uri = case.uri.as_deref().unwrap_or_default();
            let resolved_host = option_str(case.resolved_host.as_deref().or(case.host.as_deref()));
            let lists = |items: &[String]| quote!(&[#(#items),*]);
            let (query, forbid_query, require_query) =
                (lists(&case.query_params), lists(&case.forbid_query_params), lists(&case.require_query_params));
            let (forbid_headers, require_headers) = (lists(&case.forbid_headers), lists(&case.require_headers));
            let body = option_str(case.body.as_deref());
            let media_type = option_str(case.body_media_type.as_deref());
            quote! {
                let input = #input;
                let http = harness::RecordingHttpClient::default();
                let result = harness::client(&http, #host).#method(input).await;
                harness::check_request(&http, &result, &harness::ExpectedRequest {
                    method: #expected_method,
                    uri: #uri,
                    host: #resolved_host,
                    query_params: #query,
                    forbid_query_params: #forbid_query,
                    require_query_params: #require_query,
                    headers: &[#(#headers),*],
                    forbid_headers: #forbid_headers,
                    require_headers: #require_headers,
                    body: #body,
                    body_media_type: #media_type,
                });
            }
        }
        ProtocolTestKind::Response | ProtocolTestKind::Error(_) => {
            let code = case.code.unwrap_or(200);
            let body = case.body.as_deref().unwrap_or_default();
            let respond = quote! {
                let http = harness::responding(#code, &[#(#headers),*], #body);
                let result = harness::client(&http, #host).#method(input).await;
            };
            match &test.kind {
                ProtocolTestKind::Error(error) => {
                    let error_enum = ident(&operation.error_name);
                    let variant = ident(error);
                    let failed_with = format!("the call failed with {{other:?}}, expected the service error {error}");
                    let returned = format!("the call returned {{other:?}}, expected the service error {error}");
                    // The awsQueryCompatible cases also say which code (and fault) the client reports.
                    let error_code = case.error_code.as_ref().map(|expected| {
                        let code = &expected.code;
                        let fault = option_str(expected.fault.as_deref());
                        quote! {
                            assert_eq!(e.meta().code(), Some(#code), "the error code");
                            assert_eq!(e.meta().query_fault(), #fault, "the awsQuery fault");
                        }
                    });
                    quote! {
                        let input = #input;
                        let expected = #expected;
                        #respond
                        match &result {
                            Err(#krate::error::SdkError::Service(e)) => {
                                #error_code
                                match e.err() {
                                    #krate::error::#error_enum::#variant(got) => harness::assert_same(got, &expected),
                                    other => panic!(#failed_with),
                                }
                            }
                            other => panic!(#returned),
                        }
                    }
                }
                _ => match super::common::stream_field(&service.structure(&operation.output).fields) {
                    // A stream is read once and never compared: both bodies are collected and
                    // compared as bytes, then the rest of the outputs by their `Debug` text.
                    Some(stream) => {
                        let field = ident(&stream.rust_name);
                        let take = |value: TokenStream| match stream.presence {
                            Presence::Optional => quote!(#value.#field.take()),
                            _ => quote!(::std::option::Option::Some(::std::mem::take(&mut #value.#field))),
                        };
                        let (take_got, take_expected) = (take(quote!(got)), take(quote!(expected)));
                        quote! {
                            let input = #input;
                            let mut expected = #expected;
                            #respond
                            let mut got = match result {
                                Ok(got) => got,
                                Err(e) => panic!("the call failed: {e:?}"),
                            };
                            let got_body = harness::stream_bytes(#take_got).await;
                            let expected_body = harness::stream_bytes(#take_expected).await;
                            assert_eq!(String::from_utf8_lossy(&got_body), String::from_utf8_lossy(&expected_body), "the streamed body");
                            assert_eq!(format!("{got:?}"), format!("{expected:?}"), "the output's other members");
                        }
                    }
                    None => quote! {
                        let input = #input;
                        let expected = #expected;
                        #respond
                        match &result {
                            Ok(got) => harness::assert_same(got, &expected),
                            Err(e) => panic!("the call failed: {e:?}"),
                        }
                    },
                },
            }
        }
    })
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => quote!(::std::option::Option::Some(#text)),
        None => quote!(::std::option::Option::None),
    }
}

/// `harness.rs`: the recording client and the checks every case uses.
fn harness_file(service: &Service) -> RustFile {
    let krate = ident(&service.crate_name.replace('-', "_"));
    let [canned_response, recording_http_client] =
        [TEST_UTIL_CANNED_RESPONSE, TEST_UTIL_RECORDING_HTTP_CLIENT].map(|item| item.through(&krate));
    let mut file = RustFile::new(quote! {
        //! The client every protocol test case uses, with an HTTP client that records the request and
        //! answers with the case's response, and the checks of requests and of parsed values.
    });
    file.push(quote! {
        use #krate::client::{Client, Config, Credentials, RetryConfig, ValidationMode};
        use #canned_response;
        pub use #recording_http_client;
        use serde_json::Value;
    });
    if service.features.byte_streams {
        file.push(quote! {
            /// The bytes of a streaming member (none when it is unset).
            pub async fn stream_bytes(stream: Option<#krate::ByteStream>) -> Vec<u8> {
                match stream {
                    Some(stream) => stream.collect().await.expect("the stream reads"),
                    None => Vec::new(),
                }
            }
        });
    }
    file.push(quote! {
        /// A client that answers every request with this status, these headers and this body, for
        /// response and error cases (request cases check only the request, and take the default
        /// client's `200` with `{}`).
        pub fn responding(status: u16, headers: &[(&str, &str)], body: &str) -> RecordingHttpClient {
            let mut response = CannedResponse::new(status, body);
            for (name, value) in headers {
                response = response.header(*name, *value);
            }
            RecordingHttpClient::new(response)
        }

        /// The client of every case: one attempt, fixed credentials, `https://{host}` as the endpoint
        /// (`example.com` when the case names no host), constraints left to the service, and the
        /// fixed idempotency token Smithy's cases expect of a client that fills one in.
        pub fn client(http: &RecordingHttpClient, host: Option<&str>) -> Client {
            let config = Config::builder()
                .http_client(http.clone())
                .idempotency_token_provider(|| ::std::string::String::from("00000000-0000-4000-8000-000000000000"))
                .retry_config(RetryConfig::standard().with_max_attempts(1))
                .region("us-east-1")
                .endpoint_url(format!("https://{}", host.unwrap_or("example.com")))
                .credentials_provider(Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None))
                .validation(ValidationMode::RequiredOnly);
            Client::from_conf(config).expect("the test client builds")
        }

        /// What a request case expects of the request sent.
        pub struct ExpectedRequest {
            pub method: &'static str,
            pub uri: &'static str,
            pub host: Option<&'static str>,
            pub query_params: &'static [&'static str],
            pub forbid_query_params: &'static [&'static str],
            pub require_query_params: &'static [&'static str],
            pub headers: &'static [(&'static str, &'static str)],
            pub forbid_headers: &'static [&'static str],
            pub require_headers: &'static [&'static str],
            pub body: Option<&'static str>,
            pub body_media_type: Option<&'static str>,
        }

        /// Checks the one request `http` recorded against `expected`, and fails naming every difference.
        pub fn check_request<T, E: std::fmt::Debug>(http: &RecordingHttpClient, result: &Result<T, E>, expected: &ExpectedRequest) {
            let requests = http.requests();
            let request = match (requests.as_slice(), result) {
                ([request], _) => request,
                ([], Err(e)) => panic!("no request was sent; the call failed with {e:?}"),
                (all, _) => panic!("{} requests were sent, expected one", all.len()),
            };
            let mut problems = Vec::new();
            if request.method().as_str() != expected.method {
                problems.push(format!("method {}, expected {}", request.method(), expected.method));
            }
            let uri = request.uri();
            if uri.path() != expected.uri {
                problems.push(format!("path {:?}, expected {:?}", uri.path(), expected.uri));
            }
            // A case's host may carry a path (`example.com/custom`), which the path check covers.
            if let Some(host) = expected.host.and_then(|h| h.split('/').next()) {
                if uri.host() != Some(host) {
                    problems.push(format!("sent to host {:?}, expected {host:?}", uri.host()));
                }
            }
            let query: Vec<&str> = uri.query().map(|q| q.split('&').collect()).unwrap_or_default();
            let query_names: Vec<&str> = query.iter().map(|p| p.split('=').next().unwrap_or_default()).collect();
            for wanted in expected.query_params {
                if !query.contains(wanted) {
                    problems.push(format!("query parameter {wanted:?} missing from {:?}", uri.query()));
                }
            }
            for name in expected.forbid_query_params {
                if query_names.contains(name) {
                    problems.push(format!("query parameter {name:?} sent, expected none"));
                }
            }
            for name in expected.require_query_params {
                if !query_names.contains(name) {
                    problems.push(format!("query parameter {name:?} missing"));
                }
            }
            let header = |name: &str| -> Option<String> {
                let values: Vec<&str> =
                    request.headers().get_all(name).iter().map(|v| v.to_str().unwrap_or("(not text)")).collect();
                (!values.is_empty()).then(|| values.join(", "))
            };
            for (name, value) in expected.headers {
                if header(name).as_deref() != Some(*value) {
                    problems.push(format!("header {name} {:?}, expected {value:?}", header(name)));
                }
            }
            for name in expected.forbid_headers {
                if let Some(value) = header(name) {
                    problems.push(format!("header {name} sent as {value:?}, expected none"));
                }
            }
            for name in expected.require_headers {
                if header(name).is_none() {
                    problems.push(format!("header {name} missing"));
                }
            }
            if let Some(body) = expected.body {
                let sent = String::from_utf8_lossy(request.body());
                let json = expected.body_media_type.is_some_and(|t| t.contains("json")) && !body.is_empty();
                if json {
                    let wanted: Value = serde_json::from_str(body).expect("the case's body is JSON");
                    match serde_json::from_str::<Value>(&sent) {
                        Ok(got) if got == wanted => {}
                        Ok(got) => problems.push(format!("body {got}, expected {wanted}")),
                        Err(e) => problems.push(format!("body {sent:?} is not JSON ({e}), expected {wanted}")),
                    }
                } else if sent != body {
                    problems.push(format!("body {sent:?}, expected {body:?}"));
                }
            }
            assert!(problems.is_empty(), "the request differs from the case's:\n  {}", problems.join("\n  "));
        }

        /// Fails unless `got` equals `expected`. NaN equals nothing, not even itself, so values that
        /// hold one compare by their `Debug` text instead (which prints every NaN the same way).
        pub fn assert_same<T: PartialEq + std::fmt::Debug>(got: &T, expected: &T) {
            if got == expected {
                return;
            }
            let (got, expected) = (format!("{got:?}"), format!("{expected:?}"));
            assert!(got == expected && expected.contains("NaN"), "got\n  {got}\nexpected\n  {expected}");
        }
    });
    file
}

#[cfg(test)]
mod tests {
    use crate::Selection;

    /// An awsJson 1.1 service whose operation has a client case, a server case, a case of another
    /// protocol and a case whose `params` name a member the input does not have.
    const MODEL: &str = r#"{"smithy":"2.0","shapes":{
        "ex#Svc":{"type":"service","version":"1","operations":[{"target":"ex#Op"}],
                  "traits":{"aws.protocols#awsJson1_1":{}}},
        "ex#Op":{"type":"operation","input":{"target":"ex#In"},"traits":{
            "smithy.test#httpRequestTests":[
                {"id":"Sends","protocol":"aws.protocols#awsJson1_1","method":"POST","uri":"/","params":{"name":"n"}},
                {"id":"ServerOnly","protocol":"aws.protocols#awsJson1_1","method":"POST","uri":"/","appliesTo":"server"},
                {"id":"OtherProtocol","protocol":"aws.protocols#restJson1","method":"POST","uri":"/"},
                {"id":"Unbuildable","protocol":"aws.protocols#awsJson1_1","method":"POST","uri":"/","params":{"nope":1}}]}},
        "ex#In":{"type":"structure","members":{"name":{"target":"smithy.api#String"}}}
    }}"#;

    fn cases_rs() -> String {
        let selection = Selection { crate_name: "svc".into(), ..Selection::default() };
        let files = crate::generate_from_slice("svc.json", MODEL.as_bytes(), &selection).expect("generates");
        files.into_iter().find(|f| f.path == "tests/protocol_tests/cases.rs").expect("cases.rs").contents
    }

    #[test]
    fn only_client_cases_of_the_services_protocol_are_generated() {
        let cases = cases_rs();
        assert!(cases.contains("async fn request_sends()"), "{cases}");
        assert!(!cases.contains("server_only") && !cases.contains("other_protocol"), "{cases}");
    }

    #[test]
    fn a_case_the_generator_cannot_build_is_a_failing_test_that_says_why() {
        let cases = cases_rs();
        let start = cases.find("async fn request_unbuildable()").expect("the case has a test");
        let body = &cases[start..];
        assert!(body.contains("panic!(\"the generator cannot build this case: `In` has no member `nope`\")"), "{body}");
    }
}
