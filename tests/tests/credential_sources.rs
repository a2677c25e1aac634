//! Every place credentials and the region come from, against local fakes of IMDS, the container
//! endpoint and STS on 127.0.0.1, reached only through the environment variables a real worker would
//! have: the client, the CLI and the `job_worker` example each sign with the credentials of each
//! source, the chain keeps the SDKs' order, failures name their source, nothing found is fast, and
//! expiring credentials are refreshed before they expire.
//!
//! No test lets the client reach the real metadata address: every environment points
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT` at a fake or at a closed local port.

mod local_server;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use codepipeline_jobs::client::{Config, SERVICE};
use codepipeline_jobs::error::SdkError;
use codepipeline_jobs::runtime::credentials::{
    CachedCredentials, CredentialsErrorKind, Environment, ProvideCredentials,
};
use codepipeline_jobs::runtime::default_chain::DefaultCredentialsChain;
use codepipeline_jobs::runtime::http::SensitiveBody;
use codepipeline_jobs::runtime::imds::ImdsCredentials;
use codepipeline_jobs::runtime::provider_http::ProviderHttp;
use codepipeline_jobs::runtime::test_util::{CannedResponse, RecordingHttpClient};
use codepipeline_jobs::types::AcknowledgeThirdPartyJobInput;
use codepipeline_jobs::{Client, DateTime};
use local_server::{sigv4, Reply, Request, Server};
use tests::CargoEnv;

/// A key pair a source hands out, with its session token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Keys {
    akid: &'static str,
    secret: &'static str,
    token: Option<&'static str>,
}

const fn keys(akid: &'static str, secret: &'static str, token: Option<&'static str>) -> Keys {
    Keys { akid, secret, token }
}

const ENVIRONMENT: Keys = keys("AKIDENVIRONMENT", "environment/secret+key", None);
const PROFILE: Keys = keys("AKIDPROFILE", "profile/secret+key", None);
const BASE: Keys = keys("AKIDBASEPROFILE", "base/secret+key", None);
const PROCESS: Keys = keys("ASIAPROCESS", "process/secret+key", Some("process-session-token"));
const ASSUMED: Keys = keys("ASIAASSUMEDROLE", "assumed/secret+key", Some("assumed-session-token"));
const WEB: Keys = keys("ASIAWEBIDENTITY", "web/secret+key", Some("web-session-token"));
const CONTAINER: Keys = keys("ASIACONTAINER", "container/secret+key", Some("container-session-token"));
const IMDS: Keys = keys("ASIAINSTANCE", "instance/secret+key", Some("instance-session-token"));

const REGION: &str = "ap-southeast-2";
const IMDS_REGION: &str = "eu-north-1";
const WEB_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.web-identity-token.signature";
const CONTAINER_AUTH: &str = "container-authorization-token-value";
const IMDS_SESSION: &str = "imds-session-token-AQAEAExample==";
const ROLE: &str = "worker-role";
const APP_ROLE: &str = "arn:aws:iam::123456789012:role/app";
const WEB_ROLE: &str = "arn:aws:iam::123456789012:role/web";

/// Every secret of this file, none of which may appear in an error or in `Debug` output.
const SECRETS: &[&str] = &[
    ENVIRONMENT.secret,
    PROFILE.secret,
    BASE.secret,
    PROCESS.secret,
    ASSUMED.secret,
    WEB.secret,
    CONTAINER.secret,
    IMDS.secret,
    WEB_TOKEN,
    CONTAINER_AUTH,
    IMDS_SESSION,
];

fn assert_no_secrets(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "a secret leaked: {text}");
    }
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// An RFC 3339 time `seconds` from now.
fn expiration_in(seconds: u64) -> String {
    DateTime::from(SystemTime::now() + Duration::from_secs(seconds)).fmt_date_time()
}

fn credentials_json(keys: Keys, token_field: &str, expiration: &str) -> String {
    serde_json::json!({
        "Code": "Success",
        "Type": "AWS-HMAC",
        "AccessKeyId": keys.akid,
        "SecretAccessKey": keys.secret,
        token_field: keys.token,
        "Expiration": expiration,
    })
    .to_string()
}

/// The instance metadata service of an instance with role [`ROLE`], handing out `keys`.
fn imds_reply(request: &Request, keys: Keys) -> Reply {
    let path = request.path.as_str();
    if (request.method.as_str(), path) == ("PUT", "/latest/api/token") {
        return match header(request, "x-aws-ec2-metadata-token-ttl-seconds") {
            Some(_) => Reply::json(200, IMDS_SESSION).with_header("x-aws-ec2-metadata-token-ttl-seconds", "21600"),
            None => Reply::json(400, ""),
        };
    }
    if header(request, "x-aws-ec2-metadata-token") != Some(IMDS_SESSION) || request.method != "GET" {
        return Reply::json(401, "");
    }
    match path {
        "/latest/meta-data/iam/security-credentials/" => Reply::json(200, &format!("{ROLE}\n")),
        "/latest/meta-data/placement/region" => Reply::json(200, IMDS_REGION),
        _ if path == format!("/latest/meta-data/iam/security-credentials/{ROLE}") => {
            Reply::json(200, &credentials_json(keys, "Token", &expiration_in(6 * 3600)))
        }
        _ => Reply::json(404, ""),
    }
}

/// The container credentials endpoint, which wants [`CONTAINER_AUTH`].
fn container_reply(request: &Request) -> Reply {
    match (request.path.as_str(), header(request, "authorization")) {
        ("/v1/credentials", Some(CONTAINER_AUTH)) => {
            Reply::json(200, &credentials_json(CONTAINER, "Token", &expiration_in(6 * 3600)))
        }
        _ => Reply::json(401, r#"{"code":"AccessDenied","message":"bad authorization"}"#),
    }
}

/// The form parameters of an STS request.
fn form(request: &Request) -> BTreeMap<String, String> {
    let decode = |text: &str| {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'%' => {
                    out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).expect("hex escape"));
                    i += 3;
                }
                b'+' => {
                    out.push(b' ');
                    i += 1;
                }
                b => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).expect("UTF-8 form value")
    };
    String::from_utf8_lossy(&request.body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn sts_credentials(action: &str, keys: Keys) -> Reply {
    let body = format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>\
         <Credentials><AccessKeyId>{}</AccessKeyId><SecretAccessKey>{}</SecretAccessKey>\
         <SessionToken>{}</SessionToken><Expiration>{}</Expiration></Credentials>\
         </{action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></{action}Response>",
        keys.akid,
        keys.secret,
        keys.token.unwrap_or_default(),
        expiration_in(3600)
    );
    Reply::json(200, &body)
}

fn sts_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
             <RequestId>req-2</RequestId></ErrorResponse>"
        ),
    )
}

/// STS: web identity for [`WEB_ROLE`] with [`WEB_TOKEN`], and `AssumeRole` of [`APP_ROLE`].
fn sts_reply(request: &Request) -> Reply {
    let params = form(request);
    match params.get("Action").map(String::as_str) {
        Some("AssumeRoleWithWebIdentity")
            if params.get("WebIdentityToken").map(String::as_str) == Some(WEB_TOKEN)
                && params.get("RoleArn").map(String::as_str) == Some(WEB_ROLE) =>
        {
            sts_credentials("AssumeRoleWithWebIdentity", WEB)
        }
        Some("AssumeRole") if params.get("RoleArn").map(String::as_str) == Some(APP_ROLE) => {
            sts_credentials("AssumeRole", ASSUMED)
        }
        _ => sts_error(403, "AccessDenied", "not for this test"),
    }
}

/// CodePipeline: acknowledgements get a status, results an empty object.
fn codepipeline_reply(request: &Request, _: usize) -> Reply {
    match header(request, "x-amz-target") {
        Some("CodePipeline_20150709.AcknowledgeThirdPartyJob") => Reply::json(200, r#"{"status":"InProgress"}"#),
        _ => Reply::json(200, "{}"),
    }
}

/// The fakes a worker can meet, and a closed port for "no metadata service here".
struct Fakes {
    codepipeline: Server,
    imds: Server,
    container: Server,
    sts: Server,
    closed: String,
}

impl Fakes {
    async fn start() -> Fakes {
        let closed = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            format!("http://{}", listener.local_addr().expect("address"))
        };
        Fakes {
            codepipeline: Server::route(codepipeline_reply).await,
            imds: Server::route(|request, _| imds_reply(request, IMDS)).await,
            container: Server::route(|request, _| container_reply(request)).await,
            sts: Server::route(|request, _| sts_reply(request)).await,
            closed,
        }
    }
}

/// Where a scenario takes its credentials from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Environment,
    StaticProfile,
    ProcessProfile,
    AssumeRoleProfile,
    WebIdentity,
    Container,
    Imds,
}

const SOURCES: [Source; 7] = [
    Source::Environment,
    Source::StaticProfile,
    Source::ProcessProfile,
    Source::AssumeRoleProfile,
    Source::WebIdentity,
    Source::Container,
    Source::Imds,
];

/// One worker's world: a home directory with its files, and the variables it runs with.
struct Sandbox {
    home: tempfile::TempDir,
    vars: BTreeMap<String, String>,
}

impl Sandbox {
    /// The fakes' endpoints and a home of its own, with no credentials anywhere and IMDS at a closed port.
    fn new(fakes: &Fakes) -> Sandbox {
        let home = tempfile::tempdir().expect("temp dir");
        let mut sandbox = Sandbox { home, vars: BTreeMap::new() };
        let home_text = sandbox.home.path().display().to_string();
        sandbox.set("HOME", &home_text);
        sandbox.set("AWS_CONFIG_FILE", &format!("{home_text}/config"));
        sandbox.set("AWS_SHARED_CREDENTIALS_FILE", &format!("{home_text}/credentials"));
        sandbox.set("AWS_REGION", REGION);
        sandbox.set("AWS_ENDPOINT_URL_CODEPIPELINE", &fakes.codepipeline.url());
        sandbox.set("AWS_ENDPOINT_URL_STS", &fakes.sts.url());
        sandbox.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", &fakes.closed);
        if let Some(path) = std::env::var_os("PATH") {
            sandbox.set("PATH", &path.to_string_lossy());
        }
        sandbox
    }

    fn set(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_owned(), value.to_owned());
    }

    fn remove(&mut self, name: &str) {
        self.vars.remove(name);
    }

    fn write(&self, name: &str, contents: &str) -> String {
        let path = self.home.path().join(name);
        std::fs::write(&path, contents).expect("write a sandbox file");
        path.display().to_string()
    }

    fn env(&self) -> Environment {
        Environment::from_pairs(self.vars.clone())
    }

    fn command(&self, program: &std::path::Path) -> Command {
        let mut command = Command::new(program);
        command.env_clear().envs(&self.vars);
        command
    }

    /// Sets `source` up and returns the keys and region the service calls must be signed with.
    fn configure(&mut self, source: Source, fakes: &Fakes) -> (Keys, &'static str) {
        match source {
            Source::Environment => {
                self.set("AWS_ACCESS_KEY_ID", ENVIRONMENT.akid);
                self.set("AWS_SECRET_ACCESS_KEY", ENVIRONMENT.secret);
                (ENVIRONMENT, REGION)
            }
            Source::StaticProfile => {
                self.write(
                    "credentials",
                    &format!(
                        "[default]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
                        PROFILE.akid, PROFILE.secret
                    ),
                );
                (PROFILE, REGION)
            }
            Source::ProcessProfile => {
                let output = credentials_json(PROCESS, "SessionToken", &expiration_in(3600))
                    .replace("\"Code\":\"Success\",", "");
                let output = output.replacen('{', "{\"Version\":1,", 1);
                self.write("config", &format!("[profile tool]\ncredential_process = printf '%s' '{output}'\n"));
                self.set("AWS_PROFILE", "tool");
                (PROCESS, REGION)
            }
            Source::AssumeRoleProfile => {
                self.write(
                    "config",
                    &format!(
                        "[profile app]\nrole_arn = {APP_ROLE}\nsource_profile = base\nexternal_id = ext-7\n\
                         role_session_name = worker-session\n"
                    ),
                );
                self.write(
                    "credentials",
                    &format!("[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n", BASE.akid, BASE.secret),
                );
                self.set("AWS_PROFILE", "app");
                (ASSUMED, REGION)
            }
            Source::WebIdentity => {
                let file = self.write("web-identity-token", &format!("{WEB_TOKEN}\n"));
                self.set("AWS_WEB_IDENTITY_TOKEN_FILE", &file);
                self.set("AWS_ROLE_ARN", WEB_ROLE);
                self.set("AWS_ROLE_SESSION_NAME", "pod-session");
                (WEB, REGION)
            }
            Source::Container => {
                let file = self.write("container-token", &format!("{CONTAINER_AUTH}\n"));
                self.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", &format!("{}/v1/credentials", fakes.container.url()));
                self.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &file);
                (CONTAINER, REGION)
            }
            Source::Imds => {
                self.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", &fakes.imds.url());
                // The region comes from the instance too.
                self.remove("AWS_REGION");
                (IMDS, IMDS_REGION)
            }
        }
    }
}

/// Checks a service call's signature against `keys` and `region`, recomputed independently.
fn assert_signed(request: &Request, keys: Keys, region: &str) {
    sigv4::verify(request, keys.akid, keys.secret, region, "codepipeline");
    assert_eq!(header(request, "x-amz-security-token"), keys.token, "{request:?}");
}

/// Checks the STS calls a source needed: who signed them and what they asked for.
fn assert_sts_calls(source: Source, calls: &[Request]) {
    match source {
        Source::AssumeRoleProfile => {
            let call = calls.last().expect("an AssumeRole call");
            let params = form(call);
            assert_eq!(params["Action"], "AssumeRole");
            assert_eq!(params["Version"], "2011-06-15");
            assert_eq!(params["RoleArn"], APP_ROLE);
            assert_eq!(params["ExternalId"], "ext-7");
            assert_eq!(params["RoleSessionName"], "worker-session");
            assert_eq!(header(call, "content-type"), Some("application/x-www-form-urlencoded; charset=utf-8"));
            sigv4::verify_signing(call, BASE.akid, BASE.secret, REGION, "sts", &["content-type", "host", "x-amz-date"]);
        }
        Source::WebIdentity => {
            let call = calls.last().expect("an AssumeRoleWithWebIdentity call");
            let params = form(call);
            assert_eq!(params["Action"], "AssumeRoleWithWebIdentity");
            assert_eq!(params["RoleSessionName"], "pod-session");
            assert!(header(call, "authorization").is_none(), "web identity calls are unsigned");
        }
        _ => assert!(calls.is_empty(), "{source:?} needs no STS call: {calls:?}"),
    }
}

fn ack_input() -> AcknowledgeThirdPartyJobInput {
    AcknowledgeThirdPartyJobInput::builder()
        .job_id("job-1")
        .nonce("n-1")
        .client_token("ct-1")
        .build()
        .expect("complete")
}

/// Builds the client from the sandbox's environment (on a blocking thread: it may ask the fake IMDS
/// for the region, which this runtime serves) and makes one call.
async fn call_from(sandbox: &Sandbox) -> Result<(), SdkError<codepipeline_jobs::error::AcknowledgeThirdPartyJobError>> {
    let env = sandbox.env();
    let client = tokio::task::spawn_blocking(move || Client::from_conf(Config::from_environment(&SERVICE, env)))
        .await
        .expect("join")
        .expect("the client builds");
    assert_no_secrets(&format!("{client:?}"));
    client.call_acknowledge_third_party_job(ack_input()).await.map(|_| ())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_signs_with_the_credentials_of_each_source() {
    let fakes = Fakes::start().await;
    for source in SOURCES {
        let mut sandbox = Sandbox::new(&fakes);
        let (keys, region) = sandbox.configure(source, &fakes);
        let sts_before = fakes.sts.requests().len();
        call_from(&sandbox).await.unwrap_or_else(|e| panic!("{source:?}: {e}"));
        let request = fakes.codepipeline.requests().pop().expect("a call");
        assert_signed(&request, keys, region);
        assert_sts_calls(source, &fakes.sts.requests()[sts_before..]);
    }
    // The container endpoint saw its token, and IMDS a session token asked for with a TTL.
    assert!(fakes.container.requests().iter().all(|r| header(r, "authorization") == Some(CONTAINER_AUTH)));
    let imds = fakes.imds.requests();
    assert_eq!(imds[0].method, "PUT");
    assert_eq!(header(&imds[0], "x-aws-ec2-metadata-token-ttl-seconds"), Some("21600"));
}

fn cli_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // As in cli.rs, so the two tests share the build.
        tests::cargo_build_executable(
            &["-p", "codepipeline-jobs", "-q", "--features", "cli", "--bin", "codepipeline-jobs"],
            "codepipeline-jobs",
            CargoEnv::Inherited,
        )
    })
}

fn worker_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // As in job_worker.rs, so the two tests share the build.
        tests::cargo_build_executable(
            &["-p", "codepipeline-jobs", "--example", "job_worker"],
            "job_worker",
            CargoEnv::WithoutPackageVars,
        )
    })
}

async fn run(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("the program runs")).await.expect("join")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_and_the_job_worker_run_unchanged_with_each_source() {
    let (cli, worker) =
        tokio::task::spawn_blocking(|| (cli_binary().clone(), worker_binary().clone())).await.expect("built");
    let fakes = Fakes::start().await;
    for source in SOURCES {
        let mut sandbox = Sandbox::new(&fakes);
        let (keys, region) = sandbox.configure(source, &fakes);

        let mut command = sandbox.command(&cli);
        command.args(["acknowledge-third-party-job", "--job-id", "j", "--nonce", "n", "--client-token", "t"]);
        let before = fakes.codepipeline.requests().len();
        let output = run(command).await;
        assert!(output.status.success(), "CLI with {source:?}: {}", text(&output.stderr));
        assert!(text(&output.stdout).contains("InProgress"), "{}", text(&output.stdout));
        let requests = fakes.codepipeline.requests();
        assert_eq!(requests.len(), before + 1, "{source:?}");
        assert_signed(&requests[before], keys, region);

        let mut command = sandbox.command(&worker);
        command.args(["job-7", "nonce-7", "token-7", "succeed"]);
        let output = run(command).await;
        assert!(output.status.success(), "job worker with {source:?}: {}", text(&output.stderr));
        let requests = fakes.codepipeline.requests();
        assert_eq!(requests.len(), before + 3, "{source:?}: acknowledge, then report success");
        for request in &requests[before + 1..] {
            assert_signed(request, keys, region);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_profile_option_chooses_region_and_credentials_over_the_environment() {
    let cli = tokio::task::spawn_blocking(|| cli_binary().clone()).await.expect("built");
    let fakes = Fakes::start().await;
    let mut sandbox = Sandbox::new(&fakes);
    sandbox.configure(Source::Environment, &fakes);
    sandbox.remove("AWS_REGION");
    sandbox.write("config", "[profile chosen]\nregion = ca-central-1\n[default]\nregion = us-west-1\n");
    sandbox.write(
        "credentials",
        &format!("[chosen]\naws_access_key_id = {}\naws_secret_access_key = {}\n", PROFILE.akid, PROFILE.secret),
    );
    let mut command = sandbox.command(&cli);
    command.args([
        "--profile",
        "chosen",
        "acknowledge-third-party-job",
        "--job-id",
        "j",
        "--nonce",
        "n",
        "--client-token",
        "t",
    ]);
    let output = run(command).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_signed(&fakes.codepipeline.requests().pop().expect("a call"), PROFILE, "ca-central-1");

    // Without --profile: the environment's keys and the default profile's region.
    let mut command = sandbox.command(&cli);
    command.args(["acknowledge-third-party-job", "--job-id", "j", "--nonce", "n", "--client-token", "t"]);
    let output = run(command).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_signed(&fakes.codepipeline.requests().pop().expect("a call"), ENVIRONMENT, "us-west-1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_exits_253_and_lists_every_place_when_nothing_is_found() {
    let cli = tokio::task::spawn_blocking(|| cli_binary().clone()).await.expect("built");
    let fakes = Fakes::start().await;
    let sandbox = Sandbox::new(&fakes);
    let mut command = sandbox.command(&cli);
    command.args(["acknowledge-third-party-job", "--job-id", "j", "--nonce", "n", "--client-token", "t"]);
    let started = Instant::now();
    let output = run(command).await;
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    assert_eq!(output.status.code(), Some(253), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    for place in ["environment:", "profile:", "web identity:", "container:", "IMDS:"] {
        assert!(stderr.contains(place), "{place}: {stderr}");
    }
    assert!(fakes.codepipeline.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chain_keeps_the_sdk_order() {
    let fakes = Fakes::start().await;
    let mut sandbox = Sandbox::new(&fakes);
    // Every source at once; each step takes away the one that won.
    for source in [Source::Imds, Source::Container, Source::WebIdentity, Source::StaticProfile, Source::Environment] {
        sandbox.configure(source, &fakes);
    }
    sandbox.set("AWS_REGION", REGION);
    let steps: [(Keys, &[&str]); 5] = [
        (ENVIRONMENT, &["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]),
        (PROFILE, &["AWS_SHARED_CREDENTIALS_FILE"]),
        (WEB, &["AWS_WEB_IDENTITY_TOKEN_FILE"]),
        (CONTAINER, &["AWS_CONTAINER_CREDENTIALS_FULL_URI"]),
        (IMDS, &[]),
    ];
    for (expected, winner) in steps {
        let counts = |f: &Fakes| (f.sts.requests().len(), f.container.requests().len(), f.imds.requests().len());
        let before = counts(&fakes);
        call_from(&sandbox).await.unwrap_or_else(|e| panic!("{expected:?}: {e}"));
        assert_signed(&fakes.codepipeline.requests().pop().expect("a call"), expected, REGION);
        let after = counts(&fakes);
        // Sources after the winner are never asked.
        let asked = (after.0 > before.0, after.1 > before.1, after.2 > before.2);
        let expected_asked = match expected {
            WEB => (true, false, false),
            CONTAINER => (false, true, false),
            IMDS => (false, false, true),
            _ => (false, false, false),
        };
        assert_eq!(asked, expected_asked, "{expected:?}");
        for name in winner {
            sandbox.remove(name);
        }
        if expected == PROFILE {
            sandbox.set("AWS_SHARED_CREDENTIALS_FILE", &format!("{}/absent", sandbox.home.path().display()));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_found_lists_every_place_in_order_and_is_fast() {
    let fakes = Fakes::start().await;
    let sandbox = Sandbox::new(&fakes);
    let started = Instant::now();
    let error = call_from(&sandbox).await.expect_err("no credentials anywhere");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert!(matches!(error, SdkError::Config(_)), "{error:?}");
    let message = error.to_string();
    let mut at = 0;
    for place in ["environment:", "profile:", "web identity:", "container:", "IMDS:"] {
        let found = message[at..].find(place).unwrap_or_else(|| panic!("{place} missing or out of order: {message}"));
        at += found;
    }
    assert!(fakes.codepipeline.requests().is_empty());

    // No region anywhere: the client is not built, and the error says where it looked.
    let mut sandbox = Sandbox::new(&fakes);
    sandbox.remove("AWS_REGION");
    let env = sandbox.env();
    let error = tokio::task::spawn_blocking(move || Client::from_conf(Config::from_environment(&SERVICE, env)))
        .await
        .expect("join")
        .expect_err("no region");
    let message = error.to_string();
    for fragment in
        ["no region", "AWS_REGION is not set", "AWS_DEFAULT_REGION is not set", "profile [default]", "IMDS:"]
    {
        assert!(message.contains(fragment), "{fragment}: {message}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imds_that_never_answers_is_given_up_on_within_seconds() {
    let fakes = Fakes::start().await;
    let silent = Server::start(vec![Reply::Stall]).await;
    let mut sandbox = Sandbox::new(&fakes);
    sandbox.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", &silent.url());
    let started = Instant::now();
    let error = call_from(&sandbox).await.expect_err("no credentials");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert!(error.to_string().contains("did not answer"), "{error}");

    sandbox.remove("AWS_REGION");
    let env = sandbox.env();
    let started = Instant::now();
    let error = tokio::task::spawn_blocking(move || Client::from_conf(Config::from_environment(&SERVICE, env)))
        .await
        .expect("join")
        .expect_err("no region");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert!(error.to_string().contains("IMDS:"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imds_gets_a_fresh_token_on_401_and_retries_server_errors() {
    let fakes = Fakes::start().await;
    // The first credentials read is refused (an expired token), the second fails with 503.
    let imds = Server::route(|request, index| match index {
        2 => Reply::json(401, ""),
        4 => Reply::json(503, ""),
        _ => imds_reply(request, IMDS),
    })
    .await;
    let mut sandbox = Sandbox::new(&fakes);
    sandbox.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url());
    call_from(&sandbox).await.expect("credentials after a new token and a retry");
    assert_signed(&fakes.codepipeline.requests().pop().expect("a call"), IMDS, REGION);
    let paths: Vec<(String, String)> = imds.requests().iter().map(|r| (r.method.clone(), r.path.clone())).collect();
    let token = ("PUT".to_owned(), "/latest/api/token".to_owned());
    let role_list = ("GET".to_owned(), "/latest/meta-data/iam/security-credentials/".to_owned());
    let role = ("GET".to_owned(), format!("/latest/meta-data/iam/security-credentials/{ROLE}"));
    assert_eq!(paths, [token.clone(), role_list, role.clone(), token, role.clone(), role]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_without_a_role_has_no_credentials_and_a_broken_one_names_imds() {
    let fakes = Fakes::start().await;
    let no_role = Server::route(|request, _| match request.path.as_str() {
        "/latest/meta-data/iam/security-credentials/" => Reply::json(404, ""),
        _ => imds_reply(request, IMDS),
    })
    .await;
    let mut sandbox = Sandbox::new(&fakes);
    sandbox.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", &no_role.url());
    let error = call_from(&sandbox).await.expect_err("no role");
    assert!(error.to_string().contains("IMDS: no IAM role is attached"), "{error}");
    assert!(error.to_string().contains("no credentials in any source"), "{error}");

    let broken = Server::route(|request, _| {
        if request.path.ends_with(ROLE) {
            Reply::json(200, &format!("{{\"AccessKeyId\":\"{}\",\"SecretAccessKey\":", IMDS.akid))
        } else {
            imds_reply(request, IMDS)
        }
    })
    .await;
    sandbox.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", &broken.url());
    let error = call_from(&sandbox).await.expect_err("broken JSON");
    assert!(error.to_string().contains("IMDS at") && error.to_string().contains("not JSON"), "{error}");
    assert_no_secrets(&format!("{error} {error:?}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn container_and_sts_failures_name_their_source_and_keep_tokens_out() {
    let fakes = Fakes::start().await;
    let mut sandbox = Sandbox::new(&fakes);
    sandbox.configure(Source::Container, &fakes);
    sandbox.write("container-token", "a-wrong-token\n");
    let error = call_from(&sandbox).await.expect_err("refused");
    let message = error.to_string();
    assert!(message.contains("container: the endpoint answered HTTP 401: AccessDenied"), "{message}");
    assert!(!message.contains("a-wrong-token"), "{message}");

    let failing = Server::start(vec![Reply::json(500, "")]).await;
    sandbox.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", &format!("{}/v1/credentials", failing.url()));
    let error = call_from(&sandbox).await.expect_err("server errors");
    assert!(error.to_string().contains("HTTP 500"), "{error}");
    assert_eq!(failing.requests().len(), 3, "tried three times");

    // STS quoting the token back must not leak it.
    let echo =
        Server::start(vec![sts_error(400, "InvalidIdentityToken", &format!("token {WEB_TOKEN} is no good"))]).await;
    let mut sandbox = Sandbox::new(&fakes);
    sandbox.configure(Source::WebIdentity, &fakes);
    sandbox.set("AWS_ENDPOINT_URL_STS", &echo.url());
    let error = call_from(&sandbox).await.expect_err("refused");
    let message = format!("{error} {error:?}");
    assert!(message.contains("STS AssumeRoleWithWebIdentity of arn:aws:iam::123456789012:role/web"), "{message}");
    assert!(message.contains("InvalidIdentityToken"), "{message}");
    assert_no_secrets(&message);

    // Half a configuration stops the chain with a clear error instead of moving on.
    let mut sandbox = Sandbox::new(&fakes);
    sandbox.configure(Source::Imds, &fakes);
    sandbox.set("AWS_REGION", REGION);
    sandbox.set("AWS_WEB_IDENTITY_TOKEN_FILE", "/nowhere");
    let error = call_from(&sandbox).await.expect_err("no role");
    assert!(error.to_string().contains("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_answers_are_errors_naming_their_source() {
    let fakes = Fakes::start().await;
    let huge = Reply::UntilClose { status: 200, body: vec![b'x'; 1 << 20] };

    // The container endpoint: a body far over the limit, then one that is not JSON.
    for (reply, fragment) in
        [(huge.clone(), "larger than the limit"), (Reply::json(200, "{\"AccessKeyId\":"), "not JSON")]
    {
        let hostile = Server::start(vec![reply]).await;
        let mut sandbox = Sandbox::new(&fakes);
        sandbox.configure(Source::Container, &fakes);
        sandbox.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", &format!("{}/v1/credentials", hostile.url()));
        let message = call_from(&sandbox).await.expect_err("hostile container endpoint").to_string();
        assert!(message.contains("container:") && message.contains(fragment), "{message}");
        assert_no_secrets(&message);
    }

    // STS: the same for web identity, and an answer that is not XML.
    for (reply, fragment) in [(huge.clone(), "larger than the limit"), (Reply::json(200, "<Assume"), "not XML")] {
        let hostile = Server::start(vec![reply]).await;
        let mut sandbox = Sandbox::new(&fakes);
        sandbox.configure(Source::WebIdentity, &fakes);
        sandbox.set("AWS_ENDPOINT_URL_STS", &hostile.url());
        let message = call_from(&sandbox).await.expect_err("hostile STS").to_string();
        assert!(message.contains("STS AssumeRoleWithWebIdentity") && message.contains(fragment), "{message}");
        assert_no_secrets(&message);
    }

    // IMDS: a session token TTL no clock can hold still gives credentials (it is capped, not trusted).
    let endless = Server::route(|request, _| match request.path.as_str() {
        "/latest/api/token" => {
            Reply::json(200, IMDS_SESSION).with_header("x-aws-ec2-metadata-token-ttl-seconds", &u64::MAX.to_string())
        }
        _ => imds_reply(request, IMDS),
    })
    .await;
    let mut sandbox = Sandbox::new(&fakes);
    sandbox.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", &endless.url());
    call_from(&sandbox).await.expect("credentials despite the TTL");
    assert_signed(&fakes.codepipeline.requests().pop().expect("a call"), IMDS, REGION);

    // IMDS answering with a body far over the limit is a failing service, not "no service here".
    let flooding = Server::route(move |request, _| {
        if request.path.ends_with(ROLE) {
            Reply::UntilClose { status: 200, body: vec![b'x'; 1 << 20] }
        } else {
            imds_reply(request, IMDS)
        }
    })
    .await;
    sandbox.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", &flooding.url());
    let message = call_from(&sandbox).await.expect_err("an unreadable answer").to_string();
    assert!(message.contains("IMDS at") && message.contains("larger than the limit"), "{message}");
    assert!(!message.contains("no credentials in any source"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sts_server_errors_and_throttling_are_tried_again() {
    let fakes = Fakes::start().await;
    let flaky = Server::start(vec![
        sts_error(503, "ServiceUnavailable", "busy"),
        sts_error(400, "Throttling", "slow down"),
        sts_credentials("AssumeRoleWithWebIdentity", WEB),
    ])
    .await;
    let mut sandbox = Sandbox::new(&fakes);
    sandbox.configure(Source::WebIdentity, &fakes);
    sandbox.set("AWS_ENDPOINT_URL_STS", &flaky.url());
    call_from(&sandbox).await.expect("the third try works");
    assert_signed(&fakes.codepipeline.requests().pop().expect("a call"), WEB, REGION);
    assert_eq!(flaky.requests().len(), 3);

    // Without the service-specific variable, AWS_ENDPOINT_URL serves STS too.
    sandbox.remove("AWS_ENDPOINT_URL_STS");
    sandbox.set("AWS_ENDPOINT_URL", &fakes.sts.url());
    call_from(&sandbox).await.expect("STS through AWS_ENDPOINT_URL");
    assert_signed(&fakes.codepipeline.requests().pop().expect("a call"), WEB, REGION);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_chain_roles_and_use_named_sources() {
    let fakes = Fakes::start().await;
    // credential_source = Environment: the role is assumed with the environment's keys.
    let mut sandbox = Sandbox::new(&fakes);
    sandbox.write("config", &format!("[default]\nrole_arn = {APP_ROLE}\ncredential_source = Environment\n"));
    sandbox.set("AWS_PROFILE", "default");
    let env_keys = [("AWS_ACCESS_KEY_ID", BASE.akid), ("AWS_SECRET_ACCESS_KEY", BASE.secret)];
    // Set through a named source only: with the keys in the environment the chain would take them
    // directly, so this goes through the profile provider alone.
    let mut pairs = sandbox.vars.clone();
    pairs.extend(env_keys.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let provider =
        codepipeline_jobs::runtime::credentials::ProfileFileCredentials::with_env(Environment::from_pairs(pairs));
    let credentials = provider.provide_credentials().await.expect("assumed");
    assert_eq!(credentials.access_key_id(), ASSUMED.akid);
    let call = fakes.sts.requests().pop().expect("an AssumeRole call");
    sigv4::verify_signing(&call, BASE.akid, BASE.secret, REGION, "sts", &["content-type", "host", "x-amz-date"]);

    // A loop is an error that names it.
    sandbox.write(
        "config",
        "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nrole_arn = r\nsource_profile = a\n",
    );
    sandbox.set("AWS_PROFILE", "a");
    let error = call_from(&sandbox).await.expect_err("a loop");
    assert!(error.to_string().contains("source_profile loop: a -> b -> a"), "{error}");

    // A failing credential_process stops the chain and names the profile.
    sandbox.write("config", "[profile a]\ncredential_process = exit 7\n");
    let error = call_from(&sandbox).await.expect_err("the process fails");
    assert!(error.to_string().contains("credential_process of profile [a]: exited with status 7"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_profile_chooses_the_region_and_credentials_in_code() {
    let fakes = Fakes::start().await;
    let mut sandbox = Sandbox::new(&fakes);
    sandbox.configure(Source::Environment, &fakes);
    sandbox.remove("AWS_REGION");
    sandbox.write("config", "[profile chosen]\nregion = sa-east-1\n");
    sandbox.write(
        "credentials",
        &format!("[chosen]\naws_access_key_id = {}\naws_secret_access_key = {}\n", PROFILE.akid, PROFILE.secret),
    );
    let config = Config::from_environment(&SERVICE, sandbox.env()).profile("chosen");
    assert_eq!(config.get_region(), Some("sa-east-1"));
    let client = Client::from_conf(config).expect("configured");
    client.call_acknowledge_third_party_job(ack_input()).await.expect("a call");
    assert_signed(&fakes.codepipeline.requests().pop().expect("a call"), PROFILE, "sa-east-1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instance_credentials_are_refreshed_before_they_expire() {
    let fetches = Arc::new(AtomicU64::new(0));
    let counted = Arc::clone(&fetches);
    let imds = Server::route(move |request, _| {
        if request.path.ends_with(ROLE) {
            let first = counted.fetch_add(1, Ordering::SeqCst) == 0;
            let keys = if first { IMDS } else { CONTAINER };
            Reply::json(200, &credentials_json(keys, "Token", &expiration_in(3600)))
        } else {
            imds_reply(request, IMDS)
        }
    })
    .await;
    let env = Environment::from_pairs([("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url())]);
    let offset = Arc::new(AtomicU64::new(0));
    let clock = Arc::clone(&offset);
    let cache = CachedCredentials::new(ImdsCredentials::new(&env, ProviderHttp::built_in()))
        .time_source(move || SystemTime::now() + Duration::from_secs(clock.load(Ordering::SeqCst)));
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), IMDS.akid);
    // Half an hour on: still the same credentials, nothing fetched.
    offset.store(1800, Ordering::SeqCst);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), IMDS.akid);
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    // Three minutes before expiry: the call still gets the cached ones, and a refresh starts.
    offset.store(3600 - 180, Ordering::SeqCst);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), IMDS.akid);
    let deadline = Instant::now() + Duration::from_secs(5);
    while fetches.load(Ordering::SeqCst) < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 2, "a refresh started in the background");
    // The server has answered, but the refresh may not have reached the cache yet. Back at the
    // present neither set of credentials is near its expiry, so waiting for the new ones starts
    // no further refresh.
    offset.store(0, Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(5);
    let refreshed = loop {
        let credentials = cache.provide_credentials().await.unwrap();
        if credentials.access_key_id() == CONTAINER.akid || Instant::now() >= deadline {
            break credentials;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(refreshed.access_key_id(), CONTAINER.akid, "the refreshed credentials reach the cache");
    assert!(refreshed.expiry().is_some());
    assert_eq!(fetches.load(Ordering::SeqCst), 2, "one refresh");
}

#[test]
fn imds_off_is_no_credentials_here() {
    let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")]);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let error =
        runtime.block_on(ImdsCredentials::new(&env, ProviderHttp::built_in()).provide_credentials()).expect_err("off");
    assert_eq!(error.kind(), CredentialsErrorKind::NotFound);
}

/// The web identity source of `sandbox` through a recording HTTP client that answers every request
/// with web identity credentials: the credentials or the error, and where each request went with
/// whether it was marked [`SensitiveBody`].
async fn web_identity_through_recorder(sandbox: &Sandbox) -> (Result<String, String>, Vec<(String, bool)>) {
    let body = format!(
        "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>\
         <AccessKeyId>{}</AccessKeyId><SecretAccessKey>{}</SecretAccessKey><SessionToken>{}</SessionToken>\
         <Expiration>{}</Expiration></Credentials></AssumeRoleWithWebIdentityResult>\
         </AssumeRoleWithWebIdentityResponse>",
        WEB.akid,
        WEB.secret,
        WEB.token.unwrap_or_default(),
        expiration_in(3600)
    );
    let recorder = RecordingHttpClient::new(CannedResponse::new(200, body));
    let chain = DefaultCredentialsChain::with_env(sandbox.env()).http_client(Arc::new(recorder.clone()));
    let result = chain.provide_credentials().await.map(|c| c.access_key_id().to_owned()).map_err(|e| {
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration, "{e}");
        e.to_string()
    });
    let seen = recorder
        .requests()
        .iter()
        .map(|request| (request.uri().to_string(), request.extensions().get::<SensitiveBody>().is_some()))
        .collect();
    (result, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sts_is_called_where_the_sdks_call_it_and_never_at_a_host_the_region_names() {
    let fakes = Fakes::start().await;
    let mut sandbox = Sandbox::new(&fakes);
    sandbox.configure(Source::WebIdentity, &fakes);
    sandbox.remove("AWS_ENDPOINT_URL_STS");
    let (result, seen) = web_identity_through_recorder(&sandbox).await;
    assert_eq!(result.as_deref(), Ok(WEB.akid));
    let regional = format!("https://sts.{REGION}.amazonaws.com/");
    assert_eq!(seen, [(regional.clone(), true)], "regional, and the token's body marked sensitive");

    sandbox.set("AWS_USE_FIPS_ENDPOINT", "true");
    let (_, seen) = web_identity_through_recorder(&sandbox).await;
    assert_eq!(seen[0].0, format!("https://sts-fips.{REGION}.amazonaws.com/"), "FIPS users' STS is FIPS too");
    sandbox.remove("AWS_USE_FIPS_ENDPOINT");

    // The switch that ignores configured URLs holds for STS as for the service.
    sandbox.set("AWS_ENDPOINT_URL_STS", &fakes.sts.url());
    sandbox.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    let (_, seen) = web_identity_through_recorder(&sandbox).await;
    assert_eq!(seen[0].0, regional);
    sandbox.remove("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    sandbox.remove("AWS_ENDPOINT_URL_STS");

    // A region that is not one host label is a configuration error, and nothing is sent anywhere.
    for region in ["attacker.example/", "attacker.example", "us-east-1.attacker.example#"] {
        sandbox.set("AWS_REGION", region);
        let (result, seen) = web_identity_through_recorder(&sandbox).await;
        let error = result.expect_err("a hostile region");
        assert!(error.contains("not a valid region name"), "{error}");
        assert!(seen.is_empty(), "{region}: sent {seen:?}");
        assert_no_secrets(&error);
        let env = sandbox.env();
        let built = tokio::task::spawn_blocking(move || Client::from_conf(Config::from_environment(&SERVICE, env)))
            .await
            .expect("join");
        let error = built.expect_err("the client refuses the region").to_string();
        assert!(error.contains("not a valid region name"), "{error}");
    }
}
