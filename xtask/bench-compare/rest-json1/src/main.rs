//! The restJson1 row of `cargo xtask bench-compare`: the cost of one Customer Profiles
//! `SearchProfiles` call (a label in the path, two query parameters, a JSON body with a nested list,
//! and a JSON response with a profile to read) through a client generated from the model at bench
//! time and through `aws-sdk-customerprofiles`, both answered from memory.
//!
//! Usage: `bench-compare-rest-json1` (no arguments). Results go to stdout as `key=value` lines for
//! the xtask to read, as the main harness's do.

#[path = "../../src/measure.rs"]
mod measure;

use std::hint::black_box;
use std::process::ExitCode;

const DOMAIN: &str = "retail-customers";
const NEXT_TOKEN: &str = "eyJwYWdlIjoyfQ";
const MAX_RESULTS: i32 = 50;
const PROFILE_ID: &str = "5d3b2c1a0f9e8d7c6b5a4f3e2d1c0b9a";

/// What Customer Profiles answers: one matching profile and a token for the next page.
const RESPONSE: &str = r#"{"Items":[{"ProfileId":"5d3b2c1a0f9e8d7c6b5a4f3e2d1c0b9a","FirstName":"Alice","LastName":"Doe","EmailAddress":"alice@example.com","PhoneNumber":"+15555550100","PartyType":"INDIVIDUAL","Address":{"Address1":"1 Main St","City":"Seattle","PostalCode":"98101","Country":"US"},"Attributes":{"tier":"gold","region":"west"},"FoundByItems":[{"KeyName":"_email","Values":["alice@example.com"]}]}],"NextToken":"eyJwYWdlIjozfQ"}"#;

fn main() -> ExitCode {
    if std::env::args().len() > 1 {
        eprintln!("usage: bench-compare-rest-json1");
        return ExitCode::FAILURE;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| format!("cannot start a tokio runtime: {e}"))?;
    // Prove both clients send the same request line and read the same profile, with transports
    // that check the request; the timed ones answer without looking, so the check costs neither.
    runtime.block_on(call_generated(&generated_client(true)?))?;
    runtime.block_on(call_sdk(&sdk_client(true)))?;
    let generated = generated_client(false)?;
    let sdk = sdk_client(false);

    let [generated_us, sdk_us] = measure::compare_async(&runtime, || call_generated(&generated), || call_sdk(&sdk))?;
    println!("rest_generated_us={:.3}", generated_us.as_secs_f64() * 1e6);
    println!("rest_sdk_us={:.3}", sdk_us.as_secs_f64() * 1e6);
    Ok(())
}

/// The response both in-memory transports return, built afresh per call as a real one would be.
fn canned_response<B>(body: B) -> http::Result<http::Response<B>> {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .header("x-amzn-requestid", "0d3c1f6e-5b1a-4a57-9a8e-2f0c7d1b9e42")
        .body(body)
}

/// The request line both clients must send: the label in the path, both query parameters.
fn check_uri(uri: &str) -> Result<(), String> {
    let path_and_query = uri.split_once("amazonaws.com").map_or(uri, |(_, rest)| rest);
    let expected = format!("/domains/{DOMAIN}/profiles/search?");
    let has_query = path_and_query.contains(&format!("max-results={MAX_RESULTS}"))
        && path_and_query.contains(&format!("next-token={NEXT_TOKEN}"));
    if path_and_query.starts_with(&expected) && has_query {
        Ok(())
    } else {
        Err(format!("unexpected request URI {uri}"))
    }
}

mod generated {
    //! The generated client with an in-memory transport.

    use smithy_lite_runtime::http::{BoxFuture, HttpClient, TransportError, TransportErrorKind};

    /// Answers every request with [`super::RESPONSE`]; with `check`, only a request to the right URI.
    #[derive(Debug)]
    pub struct Canned {
        pub check: bool,
    }

    impl HttpClient for Canned {
        fn send(
            &self,
            request: http::Request<Vec<u8>>,
            _max_response_bytes: usize,
        ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
            let checked = if self.check { super::check_uri(&request.uri().to_string()) } else { Ok(()) };
            Box::pin(async move {
                checked.map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))?;
                super::canned_response(super::RESPONSE.as_bytes().to_vec())
                    .map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))
            })
        }
    }
}

fn generated_client(check: bool) -> Result<customer_profiles_search::Client, String> {
    use customer_profiles_search::client::{Config, Credentials};
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", None))
        .http_client(generated::Canned { check });
    customer_profiles_search::Client::from_conf(config).map_err(|e| format!("generated client: {e}"))
}

async fn call_generated(client: &customer_profiles_search::Client) -> Result<(), String> {
    use customer_profiles_search::types::{AdditionalSearchKey, LogicalOperator};
    let phone = AdditionalSearchKey::builder()
        .key_name("_phone")
        .values(vec!["+15555550100".to_string()])
        .build()
        .map_err(|e| e.to_string())?;
    let output = client
        .search_profiles()
        .domain_name(DOMAIN)
        .max_results(MAX_RESULTS)
        .next_token(NEXT_TOKEN)
        .key_name("_email")
        .values(vec!["alice@example.com".to_string()])
        .additional_search_keys(vec![phone])
        .logical_operator(LogicalOperator::And)
        .send()
        .await
        .map_err(|e| format!("generated client call failed: {e}"))?;
    let found = output.items.as_deref().and_then(|items| items.first()).and_then(|p| p.profile_id.as_deref());
    if found != Some(PROFILE_ID) {
        return Err(format!("generated client read profile {found:?}"));
    }
    black_box(output);
    Ok(())
}

fn sdk_client(check: bool) -> aws_sdk_customerprofiles::Client {
    use aws_sdk_customerprofiles::config::{BehaviorVersion, Credentials, Region};
    let http_client = aws_smithy_http_client::test_util::infallible_client_fn(move |request| {
        // The status and headers are constants, so building cannot fail; fall back to a bare 200.
        let mut response = canned_response(RESPONSE).unwrap_or_else(|_| http::Response::new(RESPONSE));
        // A wrong request line gets a 400, which the SDK reports as an error.
        if check && check_uri(&request.uri().to_string()).is_err() {
            *response.status_mut() = http::StatusCode::BAD_REQUEST;
        }
        response
    });
    let config = aws_sdk_customerprofiles::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "bench-compare",
        ))
        .http_client(http_client)
        .build();
    aws_sdk_customerprofiles::Client::from_conf(config)
}

async fn call_sdk(client: &aws_sdk_customerprofiles::Client) -> Result<(), String> {
    use aws_sdk_customerprofiles::types::{AdditionalSearchKey, LogicalOperator};
    let phone =
        AdditionalSearchKey::builder().key_name("_phone").values("+15555550100").build().map_err(|e| e.to_string())?;
    let output = client
        .search_profiles()
        .domain_name(DOMAIN)
        .max_results(MAX_RESULTS)
        .next_token(NEXT_TOKEN)
        .key_name("_email")
        .values("alice@example.com")
        .additional_search_keys(phone)
        .logical_operator(LogicalOperator::And)
        .send()
        .await
        .map_err(|e| format!("SDK call failed: {}", aws_sdk_customerprofiles::error::DisplayErrorContext(e)))?;
    let found = output.items().first().and_then(|p| p.profile_id());
    if found != Some(PROFILE_ID) {
        return Err(format!("SDK read profile {found:?}"));
    }
    black_box(output);
    Ok(())
}
