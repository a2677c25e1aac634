//! Where the generated CodePipeline client sends its requests, and how it signs them, for the
//! endpoint settings users set: FIPS and dual-stack from the environment, the profile or the
//! config, custom endpoints (with their path), China regions, and the rules' own errors. Requests
//! go to a recording `HttpClient`, so each test sees the URL, `Host` and credential scope exactly
//! as they would go on the wire.

use codepipeline_jobs::client::{Config, Credentials, RetryConfig, SERVICE};
use codepipeline_jobs::runtime::credentials::Environment;
use codepipeline_jobs::runtime::test_util::{CannedResponse, RecordingHttpClient};
use codepipeline_jobs::types::AcknowledgeThirdPartyJobInput;
use codepipeline_jobs::Client;

/// A recording client that answers every request like CodePipeline's acknowledgement.
fn acknowledging_client() -> RecordingHttpClient {
    RecordingHttpClient::new(CannedResponse::new(200, r#"{"status":"InProgress"}"#))
}

/// What a request carried that says where it went and for whom it was signed.
#[derive(Debug, PartialEq, Eq)]
struct Sent {
    url: String,
    host: String,
    /// `region/service` of the credential scope.
    scope: String,
}

/// Where the one request `recorder` was sent went, and its credential scope.
fn only_sent(recorder: &RecordingHttpClient) -> Sent {
    let request = recorder.only_request();
    let header = |name: &str| request.headers()[name].to_str().unwrap().to_string();
    let authorization = header("authorization");
    let credential = authorization.split("Credential=").nth(1).and_then(|c| c.split(',').next()).unwrap();
    // AKID/date/region/service/aws4_request
    let parts: Vec<&str> = credential.split('/').collect();
    assert_eq!(parts.len(), 5, "{credential}");
    assert_eq!(parts[4], "aws4_request");
    Sent { url: request.uri().to_string(), host: header("host"), scope: format!("{}/{}", parts[2], parts[3]) }
}

fn sent(url: &str, host: &str, scope: &str) -> Sent {
    Sent { url: url.into(), host: host.into(), scope: scope.into() }
}

/// An environment with keys and a region, no profile files and no instance metadata, plus `extra`.
fn environment(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = [
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        ("AWS_REGION", "us-west-2"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (name, value) in extra {
        vars.retain(|(n, _)| n != name);
        vars.push((name.to_string(), value.to_string()));
    }
    vars
}

fn config_from(vars: Vec<(String, String)>, recorder: &RecordingHttpClient) -> Config {
    Config::from_environment(&SERVICE, Environment::from_pairs(vars))
        .http_client(recorder.clone())
        .retry_config(RetryConfig::standard().with_max_attempts(1))
}

fn input() -> AcknowledgeThirdPartyJobInput {
    AcknowledgeThirdPartyJobInput::builder().job_id("job-1").nonce("n-1").client_token("ct-1").build().unwrap()
}

/// Builds the client `config` describes and sends one acknowledgement through `recorder`.
async fn send(config: Config, recorder: &RecordingHttpClient) -> Sent {
    let client = Client::from_conf(config).unwrap_or_else(|e| panic!("{e}"));
    client.call_acknowledge_third_party_job(input()).await.unwrap_or_else(|e| panic!("{e}"));
    only_sent(recorder)
}

#[tokio::test]
async fn aws_use_fips_endpoint_sends_to_the_fips_endpoint_signed_for_the_region() {
    for region in ["us-west-2", "us-east-1", "ca-central-1"] {
        let recorder = acknowledging_client();
        let env = environment(&[("AWS_REGION", region), ("AWS_USE_FIPS_ENDPOINT", "true")]);
        assert_eq!(
            send(config_from(env, &recorder), &recorder).await,
            sent(
                &format!("https://codepipeline-fips.{region}.amazonaws.com/"),
                &format!("codepipeline-fips.{region}.amazonaws.com"),
                &format!("{region}/codepipeline"),
            ),
        );
    }
}

#[tokio::test]
async fn the_standard_dual_stack_and_china_endpoints() {
    let cases = [
        (
            &[][..],
            sent(
                "https://codepipeline.us-west-2.amazonaws.com/",
                "codepipeline.us-west-2.amazonaws.com",
                "us-west-2/codepipeline",
            ),
        ),
        (
            &[("AWS_USE_DUALSTACK_ENDPOINT", "true")][..],
            sent("https://codepipeline.us-west-2.api.aws/", "codepipeline.us-west-2.api.aws", "us-west-2/codepipeline"),
        ),
        (
            &[("AWS_USE_DUALSTACK_ENDPOINT", "TRUE"), ("AWS_USE_FIPS_ENDPOINT", "True")][..],
            sent(
                "https://codepipeline-fips.us-west-2.api.aws/",
                "codepipeline-fips.us-west-2.api.aws",
                "us-west-2/codepipeline",
            ),
        ),
        (
            &[("AWS_REGION", "cn-north-1")][..],
            sent(
                "https://codepipeline.cn-north-1.amazonaws.com.cn/",
                "codepipeline.cn-north-1.amazonaws.com.cn",
                "cn-north-1/codepipeline",
            ),
        ),
        (
            &[("AWS_REGION", "us-gov-west-1"), ("AWS_USE_FIPS_ENDPOINT", "true")][..],
            sent(
                "https://codepipeline-fips.us-gov-west-1.amazonaws.com/",
                "codepipeline-fips.us-gov-west-1.amazonaws.com",
                "us-gov-west-1/codepipeline",
            ),
        ),
    ];
    for (extra, expected) in cases {
        let recorder = acknowledging_client();
        assert_eq!(send(config_from(environment(extra), &recorder), &recorder).await, expected, "{extra:?}");
    }
}

#[tokio::test]
async fn settings_in_code_win_over_the_environment() {
    let recorder = acknowledging_client();
    let config = config_from(environment(&[("AWS_USE_FIPS_ENDPOINT", "true")]), &recorder).use_fips(false);
    assert_eq!(send(config, &recorder).await.url, "https://codepipeline.us-west-2.amazonaws.com/");
    let recorder = acknowledging_client();
    let config = Config::builder()
        .region("eu-west-1")
        .use_fips(true)
        .use_dual_stack(true)
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None))
        .http_client(recorder.clone());
    assert_eq!(send(config, &recorder).await.url, "https://codepipeline-fips.eu-west-1.api.aws/");
}

#[tokio::test]
async fn the_profile_sets_fips_and_dual_stack_and_the_endpoint_url() {
    let dir = tempfile::tempdir().unwrap();
    let config_file = dir.path().join("config");
    std::fs::write(
        &config_file,
        "[default]\nuse_fips_endpoint = true\n\
         [profile dual]\nuse_dualstack_endpoint = true\n\
         [profile local]\nservices = local-services\nendpoint_url = http://127.0.0.1:1/global\n\
         [services local-services]\ncodepipeline =\n  endpoint_url = http://127.0.0.1:2/pipelines\n",
    )
    .unwrap();
    let config_file = config_file.display().to_string();
    let base = environment(&[("AWS_CONFIG_FILE", &config_file)]);

    let recorder = acknowledging_client();
    assert_eq!(
        send(config_from(base.clone(), &recorder), &recorder).await.url,
        "https://codepipeline-fips.us-west-2.amazonaws.com/"
    );
    let recorder = acknowledging_client();
    // A profile chosen in code does not take the environment's keys.
    let keys = Credentials::new("AKIDEXAMPLE", "secret", None);
    let profile = config_from(base.clone(), &recorder).profile("dual").credentials_provider(keys);
    assert_eq!(send(profile, &recorder).await.url, "https://codepipeline.us-west-2.api.aws/");
    let recorder = acknowledging_client();
    let mut chosen = base.clone();
    chosen.push(("AWS_PROFILE".into(), "local".into()));
    assert_eq!(
        send(config_from(chosen.clone(), &recorder), &recorder).await,
        sent("http://127.0.0.1:2/pipelines/", "127.0.0.1:2", "us-west-2/codepipeline"),
        "the services section wins over the profile's endpoint_url"
    );
    let recorder = acknowledging_client();
    chosen.push(("AWS_ENDPOINT_URL".into(), "http://127.0.0.1:3".into()));
    assert_eq!(
        send(config_from(chosen, &recorder), &recorder).await.url,
        "http://127.0.0.1:3/",
        "the environment wins"
    );
}

#[tokio::test]
async fn custom_endpoints_keep_their_path_and_sign_for_the_configured_region() {
    for (url, expected) in [
        ("https://example.com/custom", "https://example.com/custom/"),
        ("https://example.com/custom/", "https://example.com/custom/"),
        ("https://example.com", "https://example.com/"),
        ("http://localhost:4566/a/b", "http://localhost:4566/a/b/"),
    ] {
        let recorder = acknowledging_client();
        let config = config_from(environment(&[]), &recorder).endpoint_url(url);
        let got = send(config, &recorder).await;
        assert_eq!((got.url.as_str(), got.scope.as_str()), (expected, "us-west-2/codepipeline"), "{url}");
    }
    let recorder = acknowledging_client();
    let config =
        config_from(environment(&[("AWS_ENDPOINT_URL_CODEPIPELINE", "https://example.com/custom")]), &recorder);
    assert_eq!(send(config, &recorder).await.host, "example.com");
}

#[tokio::test]
async fn rule_errors_and_bad_settings_are_configuration_errors_before_anything_is_sent() {
    let cases: [(&[(&str, &str)], &str); 5] = [
        (
            &[("AWS_USE_FIPS_ENDPOINT", "true"), ("AWS_ENDPOINT_URL", "https://example.com")],
            "configuration error: Invalid Configuration: FIPS and custom endpoint are not supported",
        ),
        (
            &[("AWS_USE_DUALSTACK_ENDPOINT", "true"), ("AWS_ENDPOINT_URL", "https://example.com")],
            "configuration error: Invalid Configuration: Dualstack and custom endpoint are not supported",
        ),
        (
            &[("AWS_USE_FIPS_ENDPOINT", "yes")],
            "configuration error: the environment variable AWS_USE_FIPS_ENDPOINT: `yes` is not true or false",
        ),
        (
            &[("AWS_USE_DUALSTACK_ENDPOINT", "1")],
            "configuration error: the environment variable AWS_USE_DUALSTACK_ENDPOINT: `1` is not true or false",
        ),
        (&[("AWS_ENDPOINT_URL", "https://example.com?x=1")], "must not have a query"),
    ];
    for (extra, message) in cases {
        let recorder = acknowledging_client();
        let error = Client::from_conf(config_from(environment(extra), &recorder)).expect_err("a configuration error");
        assert!(error.to_string().contains(message), "{extra:?}: {error}");
        assert!(recorder.request_count() == 0);
    }
    let recorder = acknowledging_client();
    let config = config_from(environment(&[]), &recorder).use_fips(true).endpoint_url("https://example.com");
    let error = Client::from_conf(config).expect_err("a configuration error");
    assert_eq!(error.message(), "Invalid Configuration: FIPS and custom endpoint are not supported");
}
