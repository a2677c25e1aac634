//! Behaviour of the generated crate (`codepipeline-jobs`) through its public API: input constraints
//! and builders, enums, the request bodies the client sends, and how it reads outputs and modeled
//! errors. Requests go to an in-memory `HttpClient` that records them and answers with a canned
//! response, so serialization and parsing are checked end to end without a network.
//!
//! Tables that restate the model (length bounds, enum values, operation errors) are checked against
//! `model/codepipeline.json` itself, so they cannot silently fall behind it.

use std::collections::BTreeSet;

use codepipeline_jobs::client::{Credentials, RetryConfig, ValidationMode};
use codepipeline_jobs::error::{
    AcknowledgeThirdPartyJobError, LengthUnit, PutThirdPartyJobFailureResultError, PutThirdPartyJobSuccessResultError,
    SdkError, ServiceError, ValidationError, ViolationKind,
};
use codepipeline_jobs::runtime::test_util::{CannedResponse, RecordingHttpClient};
use codepipeline_jobs::types::{
    AcknowledgeThirdPartyJobInput, CurrentRevision, ExecutionDetails, FailureDetails, FailureType, JobStatus,
    PutThirdPartyJobFailureResultInput, PutThirdPartyJobSuccessResultInput,
};
use codepipeline_jobs::{Client, Config, DateTime, Validate};
use serde_json::{json, Value};

mod common;

// ---------------------------------------------------------------------------------------------
// Valid inputs, with every optional member set, for the tests to break one thing at a time.

fn ack_input() -> AcknowledgeThirdPartyJobInput {
    AcknowledgeThirdPartyJobInput::builder()
        .job_id("job-1")
        .nonce("nonce-1")
        .client_token("token-1")
        .build()
        .expect("a complete AcknowledgeThirdPartyJobInput")
}

fn failure_details() -> FailureDetails {
    FailureDetails::builder()
        .r#type(FailureType::JobFailed)
        .message("it broke")
        .external_execution_id("ext-1")
        .build()
        .expect("complete FailureDetails")
}

fn failure_input() -> PutThirdPartyJobFailureResultInput {
    PutThirdPartyJobFailureResultInput::builder()
        .job_id("job-1")
        .client_token("token-1")
        .failure_details(failure_details())
        .build()
        .expect("a complete PutThirdPartyJobFailureResultInput")
}

fn current_revision() -> CurrentRevision {
    CurrentRevision::builder()
        .revision("rev-1")
        .change_identifier("change-1")
        .created(DateTime::from_secs(1_700_000_000))
        .revision_summary("fix the build")
        .build()
        .expect("a complete CurrentRevision")
}

fn execution_details() -> ExecutionDetails {
    ExecutionDetails::builder()
        .summary("deployed")
        .external_execution_id("ext-1")
        .percent_complete(100)
        .build()
        .expect("ExecutionDetails has no required members")
}

fn success_input() -> PutThirdPartyJobSuccessResultInput {
    PutThirdPartyJobSuccessResultInput::builder()
        .job_id("job-1")
        .client_token("token-1")
        .current_revision(current_revision())
        .continuation_token("continue-1")
        .execution_details(execution_details())
        .build()
        .expect("a complete PutThirdPartyJobSuccessResultInput")
}

#[test]
fn the_valid_inputs_are_valid() {
    assert_eq!(ack_input().validate(), Ok(()));
    assert_eq!(failure_input().validate(), Ok(()));
    assert_eq!(success_input().validate(), Ok(()));
}

// ---------------------------------------------------------------------------------------------
// The model, read directly, to keep the tables honest.

fn model() -> Value {
    let path = common::settings().model;
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn short_name(id: &str) -> &str {
    id.rsplit('#').next().unwrap_or(id)
}

/// The operations of the model's service, as (name, shape).
fn operations(model: &Value) -> Vec<(String, Value)> {
    let shapes = model["shapes"].as_object().expect("shapes");
    let service = shapes.values().find(|s| s["type"] == "service").expect("a service shape");
    let ops = service["operations"].as_array().expect("the service lists operations");
    ops.iter()
        .map(|op| {
            let id = op["target"].as_str().expect("operation target");
            (short_name(id).to_owned(), shapes[id].clone())
        })
        .collect()
}

/// A constraint trait found on a member, as (operation, wire path, min, max).
type Found = BTreeSet<(String, String, i64, i64)>;

/// Every member reachable from each operation's input that carries `trait_name`, on the member or
/// on its target.
fn constrained_members(trait_name: &str) -> Found {
    fn walk(
        shapes: &Value,
        trait_name: &str,
        op: &str,
        id: &str,
        prefix: &str,
        stack: &mut Vec<String>,
        out: &mut Found,
    ) {
        assert!(!stack.iter().any(|s| s == id), "{id} is recursive; the table needs a path scheme for that");
        stack.push(id.to_owned());
        let members = shapes[id]["members"].as_object().cloned().unwrap_or_default();
        for (name, member) in members {
            let target = member["target"].as_str().expect("member target");
            let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
            let on_member = &member["traits"][trait_name];
            let constraint = if on_member.is_null() { &shapes[target]["traits"][trait_name] } else { on_member };
            if !constraint.is_null() {
                let bound = |key: &str, default: i64| {
                    let v = &constraint[key];
                    if v.is_null() {
                        default
                    } else {
                        v.as_i64().unwrap_or_else(|| panic!("{path}: {trait_name} {key} is not an integer"))
                    }
                };
                out.insert((op.to_owned(), path.clone(), bound("min", 0), bound("max", i64::MAX)));
            }
            match shapes[target]["type"].as_str() {
                Some("structure") => walk(shapes, trait_name, op, target, &path, stack, out),
                Some(kind @ ("list" | "map" | "union" | "set")) => {
                    panic!("{path} is a {kind}; extend the tables below with element paths")
                }
                _ => {}
            }
        }
        stack.pop();
    }
    let model = model();
    let mut out = Found::new();
    for (name, op) in operations(&model) {
        let input = op["input"]["target"].as_str().expect("operation input");
        walk(&model["shapes"], trait_name, &name, input, "", &mut Vec::new(), &mut out);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Length bounds.

/// One string member with a `@length` trait: where it is, its bounds, and how to validate an
/// otherwise valid input of its operation with the member set to a given value.
struct LengthBound {
    operation: &'static str,
    path: &'static str,
    min: u64,
    max: u64,
    check: fn(String) -> Result<(), ValidationError>,
}

const ACK: &str = "AcknowledgeThirdPartyJob";
const FAILURE: &str = "PutThirdPartyJobFailureResult";
const SUCCESS: &str = "PutThirdPartyJobSuccessResult";

fn length_bounds() -> Vec<LengthBound> {
    fn row(
        operation: &'static str,
        path: &'static str,
        min: u64,
        max: u64,
        check: fn(String) -> Result<(), ValidationError>,
    ) -> LengthBound {
        LengthBound { operation, path, min, max, check }
    }
    vec![
        row(ACK, "jobId", 1, 512, |v| {
            let mut i = ack_input();
            i.job_id = v;
            i.validate()
        }),
        row(ACK, "nonce", 1, 50, |v| {
            let mut i = ack_input();
            i.nonce = v;
            i.validate()
        }),
        row(ACK, "clientToken", 1, 256, |v| {
            let mut i = ack_input();
            i.client_token = v;
            i.validate()
        }),
        row(FAILURE, "jobId", 1, 512, |v| {
            let mut i = failure_input();
            i.job_id = v;
            i.validate()
        }),
        row(FAILURE, "clientToken", 1, 256, |v| {
            let mut i = failure_input();
            i.client_token = v;
            i.validate()
        }),
        row(FAILURE, "failureDetails.message", 1, 5000, |v| {
            let mut i = failure_input();
            i.failure_details.message = v;
            i.validate()
        }),
        row(FAILURE, "failureDetails.externalExecutionId", 1, 1500, |v| {
            let mut i = failure_input();
            i.failure_details.external_execution_id = Some(v);
            i.validate()
        }),
        row(SUCCESS, "jobId", 1, 512, |v| {
            let mut i = success_input();
            i.job_id = v;
            i.validate()
        }),
        row(SUCCESS, "clientToken", 1, 256, |v| {
            let mut i = success_input();
            i.client_token = v;
            i.validate()
        }),
        row(SUCCESS, "currentRevision.revision", 1, 1500, |v| {
            let mut i = success_input();
            i.current_revision.as_mut().expect("set").revision = v;
            i.validate()
        }),
        row(SUCCESS, "currentRevision.changeIdentifier", 1, 100, |v| {
            let mut i = success_input();
            i.current_revision.as_mut().expect("set").change_identifier = v;
            i.validate()
        }),
        row(SUCCESS, "currentRevision.revisionSummary", 1, 2048, |v| {
            let mut i = success_input();
            i.current_revision.as_mut().expect("set").revision_summary = Some(v);
            i.validate()
        }),
        row(SUCCESS, "continuationToken", 1, 2048, |v| {
            let mut i = success_input();
            i.continuation_token = Some(v);
            i.validate()
        }),
        row(SUCCESS, "executionDetails.summary", 1, 2048, |v| {
            let mut i = success_input();
            i.execution_details.as_mut().expect("set").summary = Some(v);
            i.validate()
        }),
        row(SUCCESS, "executionDetails.externalExecutionId", 1, 1500, |v| {
            let mut i = success_input();
            i.execution_details.as_mut().expect("set").external_execution_id = Some(v);
            i.validate()
        }),
    ]
}

#[test]
fn the_length_table_covers_every_length_trait_in_the_model() {
    let table: Found = length_bounds()
        .iter()
        .map(|b| (b.operation.to_owned(), b.path.to_owned(), b.min as i64, b.max as i64))
        .collect();
    let model = constrained_members("smithy.api#length");
    assert_eq!(table, model, "update length_bounds() to match the model (left: table, right: model)");
}

#[test]
fn every_length_bound_at_zero_one_max_and_one_past_max() {
    // 'a' is one byte; the others are 2, 3 and 4 bytes (the last outside the BMP). Lengths count
    // characters, so `max` of them passes even though the bytes far exceed `max`.
    for bound in length_bounds() {
        let mut lengths = vec![0, 1, bound.min, bound.max, bound.max + 1];
        lengths.extend(bound.min.checked_sub(1));
        lengths.sort_unstable();
        lengths.dedup();
        for c in ['a', 'é', '日', '😀'] {
            for &n in &lengths {
                let value: String = std::iter::repeat_n(c, n as usize).collect();
                let label = format!("{} {} = {n} x {c:?} ({} bytes)", bound.operation, bound.path, value.len());
                let result = (bound.check)(value);
                if (bound.min..=bound.max).contains(&n) {
                    assert_eq!(result, Ok(()), "{label} should pass");
                    continue;
                }
                let error = result.expect_err(&format!("{label} should fail"));
                let [violation] = error.violations() else { panic!("{label}: expected one violation, got {error}") };
                assert_eq!(violation.path(), bound.path, "{label}");
                let expected = ViolationKind::Length {
                    min: Some(bound.min),
                    max: Some(bound.max),
                    actual: n,
                    unit: LengthUnit::Characters,
                };
                assert_eq!(violation.kind(), &expected, "{label}");
                let text = error.to_string();
                assert!(text.contains(bound.path) && text.contains(&format!("but is {n}")), "{label}: {text}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Required members.

fn missing(result: Result<impl std::fmt::Debug, ValidationError>) -> Vec<String> {
    let error = result.expect_err("the builder should refuse to build");
    for v in error.violations() {
        assert_eq!(v.kind(), &ViolationKind::Missing, "{v}");
    }
    let text = error.to_string();
    let paths: Vec<String> = error.violations().iter().map(|v| v.path().to_owned()).collect();
    for path in &paths {
        assert!(text.contains(path.as_str()), "the message does not name {path}: {text}");
    }
    paths
}

#[test]
fn builders_name_every_missing_required_member_at_once() {
    assert_eq!(missing(AcknowledgeThirdPartyJobInput::builder().build()), ["jobId", "nonce", "clientToken"]);
    assert_eq!(
        missing(PutThirdPartyJobFailureResultInput::builder().build()),
        ["jobId", "clientToken", "failureDetails"]
    );
    assert_eq!(missing(PutThirdPartyJobSuccessResultInput::builder().build()), ["jobId", "clientToken"]);
    assert_eq!(missing(FailureDetails::builder().build()), ["type", "message"]);
    assert_eq!(missing(CurrentRevision::builder().build()), ["revision", "changeIdentifier"]);
    // No required members: an empty builder builds.
    let empty = ExecutionDetails::builder().build().expect("nothing is required");
    assert_eq!((empty.summary, empty.external_execution_id, empty.percent_complete), (None, None, None));
}

#[test]
fn builders_name_each_missing_required_member_alone() {
    let ack = || AcknowledgeThirdPartyJobInput::builder().job_id("j").nonce("n").client_token("t");
    assert_eq!(missing(ack().set_job_id(None).build()), ["jobId"]);
    assert_eq!(missing(ack().set_nonce(None).build()), ["nonce"]);
    assert_eq!(missing(ack().set_client_token(None).build()), ["clientToken"]);

    let failure = || {
        PutThirdPartyJobFailureResultInput::builder().job_id("j").client_token("t").failure_details(failure_details())
    };
    assert_eq!(missing(failure().set_job_id(None).build()), ["jobId"]);
    assert_eq!(missing(failure().set_client_token(None).build()), ["clientToken"]);
    assert_eq!(missing(failure().set_failure_details(None).build()), ["failureDetails"]);

    let success = || PutThirdPartyJobSuccessResultInput::builder().job_id("j").client_token("t");
    assert_eq!(missing(success().set_job_id(None).build()), ["jobId"]);
    assert_eq!(missing(success().set_client_token(None).build()), ["clientToken"]);

    let details = || FailureDetails::builder().r#type(FailureType::JobFailed).message("m");
    assert_eq!(missing(details().set_type(None).build()), ["type"]);
    assert_eq!(missing(details().set_message(None).build()), ["message"]);

    let revision = || CurrentRevision::builder().revision("r").change_identifier("c");
    assert_eq!(missing(revision().set_revision(None).build()), ["revision"]);
    assert_eq!(missing(revision().set_change_identifier(None).build()), ["changeIdentifier"]);
}

// ---------------------------------------------------------------------------------------------
// Range bounds.

#[test]
fn the_range_table_covers_every_range_trait_in_the_model() {
    let expected: Found = [(SUCCESS.to_owned(), "executionDetails.percentComplete".to_owned(), 0, 100)].into();
    assert_eq!(constrained_members("smithy.api#range"), expected);
}

#[test]
fn percent_complete_is_checked_inclusively() {
    for (value, ok) in
        [(-1, false), (0, true), (1, true), (100, true), (101, false), (i32::MIN, false), (i32::MAX, false)]
    {
        let mut input = success_input();
        input.execution_details.as_mut().expect("set").percent_complete = Some(value);
        let result = input.validate();
        if ok {
            assert_eq!(result, Ok(()), "percentComplete {value}");
            continue;
        }
        let error = result.expect_err("out of range");
        let [violation] = error.violations() else { panic!("expected one violation: {error}") };
        assert_eq!(violation.path(), "executionDetails.percentComplete");
        assert_eq!(
            violation.kind(),
            &ViolationKind::Range { min: Some(0.0), max: Some(100.0), actual: Some(f64::from(value)) }
        );
        assert!(error.to_string().contains(&format!("but is {value}")), "{error}");
    }
}

// ---------------------------------------------------------------------------------------------
// Enums.

fn model_enum_values(shape: &str) -> Vec<String> {
    let model = model();
    let id = format!("com.amazonaws.codepipeline#{shape}");
    let members = model["shapes"][&id]["members"].as_object().unwrap_or_else(|| panic!("{id} has members"));
    members
        .iter()
        .map(|(name, member)| member["traits"]["smithy.api#enumValue"].as_str().unwrap_or(name).to_owned())
        .collect()
}

/// Each known value maps to its own variant and back, by every conversion the enum offers.
macro_rules! assert_round_trips {
    ($enum:ident) => {{
        let values = $enum::values();
        assert_eq!(values, model_enum_values(stringify!($enum)), "values() is the model's list, in order");
        let mut variants = BTreeSet::new();
        for &value in values {
            let parsed = $enum::from(value);
            assert!(!parsed.is_unknown(), "{value}");
            assert_eq!(parsed.as_str(), value);
            assert_eq!(parsed.to_string(), value);
            assert_eq!(value.parse::<$enum>(), Ok(parsed.clone()));
            variants.insert(parsed);
        }
        assert_eq!(variants.len(), values.len(), "two values share a variant");
        let unknown = $enum::from("Brand New");
        assert_eq!(unknown, $enum::Unknown("Brand New".to_owned()));
        assert!(unknown.is_unknown());
        assert_eq!(unknown.as_str(), "Brand New");
    }};
}

#[test]
fn failure_type_values_round_trip() {
    assert_round_trips!(FailureType);
}

#[test]
fn job_status_values_round_trip() {
    assert_round_trips!(JobStatus);
}

#[test]
fn an_unknown_enum_value_is_rejected_on_input() {
    for &value in FailureType::values() {
        let mut input = failure_input();
        input.failure_details.r#type = FailureType::from(value);
        assert_eq!(input.validate(), Ok(()), "{value}");
    }
    let mut input = failure_input();
    input.failure_details.r#type = FailureType::from("Nope");
    let error = input.validate().expect_err("an unknown FailureType cannot be sent");
    let [violation] = error.violations() else { panic!("expected one violation: {error}") };
    assert_eq!(violation.path(), "failureDetails.type");
    assert_eq!(
        violation.kind(),
        &ViolationKind::UnknownValue { value: "Nope".to_owned(), allowed: FailureType::values() }
    );
    assert!(error.to_string().contains("Nope"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Every violation, not the first.

#[test]
fn validation_reports_every_violation_with_path_constraint_and_actual() {
    let mut input = failure_input();
    input.job_id = String::new();
    input.client_token = "t".repeat(257);
    input.failure_details.r#type = FailureType::from("Nope");
    input.failure_details.message = String::new();
    input.failure_details.external_execution_id = Some("日".repeat(1501));
    let error = input.validate().expect_err("five problems");
    let found: Vec<(&str, &ViolationKind)> = error.violations().iter().map(|v| (v.path(), v.kind())).collect();
    let length = |min, max, actual| ViolationKind::Length {
        min: Some(min),
        max: Some(max),
        actual,
        unit: LengthUnit::Characters,
    };
    let unknown = ViolationKind::UnknownValue { value: "Nope".to_owned(), allowed: FailureType::values() };
    assert_eq!(
        found,
        [
            ("jobId", &length(1, 512, 0)),
            ("clientToken", &length(1, 256, 257)),
            ("failureDetails.type", &unknown),
            ("failureDetails.message", &length(1, 5000, 0)),
            ("failureDetails.externalExecutionId", &length(1, 1500, 1501)),
        ]
    );
    let text = error.to_string();
    assert!(text.starts_with("invalid input (5 problems)"), "{text}");
    assert!(text.contains("failureDetails.message: length must be between 1 and 5000 characters, but is 0"), "{text}");

    let mut input = success_input();
    input.current_revision.as_mut().expect("set").change_identifier = "c".repeat(101);
    let details = input.execution_details.as_mut().expect("set");
    details.summary = Some(String::new());
    details.percent_complete = Some(101);
    let error = input.validate().expect_err("three problems");
    let paths: Vec<&str> = error.violations().iter().map(|v| v.path()).collect();
    assert_eq!(
        paths,
        ["currentRevision.changeIdentifier", "executionDetails.summary", "executionDetails.percentComplete"]
    );
    let text = error.to_string();
    assert!(text.contains("executionDetails.percentComplete: value must be between 0 and 100, but is 101"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// The client against an in-memory HTTP client.

struct Harness {
    client: Client,
    http: RecordingHttpClient,
}

impl Harness {
    fn new(status: u16, body: &str) -> Self {
        Harness::with(status, &[], body, ValidationMode::Full)
    }

    fn with(status: u16, headers: &[(&'static str, &'static str)], body: &str, mode: ValidationMode) -> Self {
        let response = headers
            .iter()
            .fold(CannedResponse::new(status, body), |response, (name, value)| response.header(*name, *value));
        let http = RecordingHttpClient::new(response);
        let config = Config::builder()
            .region("us-east-1")
            .endpoint_url("https://codepipeline.example.test")
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "not-a-real-secret", None))
            .http_client(http.clone())
            .retry_config(RetryConfig::disabled())
            .validation(mode);
        Harness { client: Client::from_conf(config).expect("a complete config"), http }
    }

    fn sent(&self) -> usize {
        self.http.request_count()
    }

    /// The one request sent, checked for the awsJson 1.1 framing, with its body parsed.
    fn only_body(&self, operation: &str) -> (String, Value) {
        let request = self.http.only_request();
        assert_eq!(request.method(), http::Method::POST);
        let headers = request.headers();
        assert_eq!(headers["x-amz-target"], format!("CodePipeline_20150709.{operation}").as_str());
        assert_eq!(headers["content-type"], "application/x-amz-json-1.1");
        let auth = headers["authorization"].to_str().expect("ASCII");
        assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), "{auth}");
        assert!(auth.contains("/us-east-1/codepipeline/aws4_request"), "{auth}");
        let text = String::from_utf8(request.body().clone()).expect("UTF-8 body");
        let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("body is not JSON ({e}): {text}"));
        (text, value)
    }
}

// ---- Request bodies.

#[tokio::test]
async fn acknowledge_request_body() {
    let h = Harness::new(200, "{}");
    h.client.call_acknowledge_third_party_job(ack_input()).await.expect("call succeeds");
    let (_, body) = h.only_body(ACK);
    assert_eq!(body, json!({"jobId": "job-1", "nonce": "nonce-1", "clientToken": "token-1"}));

    // The fluent builder sends the same thing.
    let h = Harness::new(200, "{}");
    h.client
        .acknowledge_third_party_job()
        .job_id("job-1")
        .nonce("nonce-1")
        .client_token("token-1")
        .send()
        .await
        .expect("call succeeds");
    assert_eq!(h.only_body(ACK).1, json!({"jobId": "job-1", "nonce": "nonce-1", "clientToken": "token-1"}));
}

#[tokio::test]
async fn failure_request_bodies_minimal_and_full() {
    let h = Harness::new(200, "");
    let mut minimal = failure_input();
    minimal.failure_details.external_execution_id = None;
    minimal.failure_details.r#type = FailureType::ConfigurationError;
    h.client.call_put_third_party_job_failure_result(minimal).await.expect("call succeeds");
    assert_eq!(
        h.only_body(FAILURE).1,
        json!({
            "jobId": "job-1",
            "clientToken": "token-1",
            "failureDetails": {"type": "ConfigurationError", "message": "it broke"}
        })
    );

    let h = Harness::new(200, "");
    h.client.call_put_third_party_job_failure_result(failure_input()).await.expect("call succeeds");
    assert_eq!(
        h.only_body(FAILURE).1,
        json!({
            "jobId": "job-1",
            "clientToken": "token-1",
            "failureDetails": {"type": "JobFailed", "message": "it broke", "externalExecutionId": "ext-1"}
        })
    );
}

#[tokio::test]
async fn every_failure_type_is_sent_as_its_wire_value() {
    for &value in FailureType::values() {
        let h = Harness::new(200, "");
        let mut input = failure_input();
        input.failure_details.r#type = FailureType::from(value);
        h.client.call_put_third_party_job_failure_result(input).await.expect("call succeeds");
        assert_eq!(h.only_body(FAILURE).1["failureDetails"]["type"], value);
    }
}

#[tokio::test]
async fn success_request_bodies_minimal_and_full() {
    let h = Harness::new(200, "");
    let minimal = PutThirdPartyJobSuccessResultInput::builder()
        .job_id("job-1")
        .client_token("token-1")
        .set_current_revision(None)
        .set_continuation_token(None)
        .set_execution_details(None)
        .build()
        .expect("complete");
    h.client.call_put_third_party_job_success_result(minimal).await.expect("call succeeds");
    assert_eq!(h.only_body(SUCCESS).1, json!({"jobId": "job-1", "clientToken": "token-1"}));

    let h = Harness::new(200, "");
    h.client.call_put_third_party_job_success_result(success_input()).await.expect("call succeeds");
    assert_eq!(
        h.only_body(SUCCESS).1,
        json!({
            "jobId": "job-1",
            "clientToken": "token-1",
            "currentRevision": {
                "revision": "rev-1",
                "changeIdentifier": "change-1",
                "created": 1_700_000_000,
                "revisionSummary": "fix the build"
            },
            "continuationToken": "continue-1",
            "executionDetails": {"summary": "deployed", "externalExecutionId": "ext-1", "percentComplete": 100}
        })
    );
}

#[tokio::test]
async fn absent_optional_members_are_left_out_of_nested_structures() {
    let h = Harness::new(200, "");
    let mut input = success_input();
    input.execution_details = Some(ExecutionDetails::builder().build().expect("nothing required"));
    let revision = input.current_revision.as_mut().expect("set");
    revision.created = None;
    revision.revision_summary = None;
    h.client.call_put_third_party_job_success_result(input).await.expect("call succeeds");
    let body = h.only_body(SUCCESS).1;
    assert_eq!(body["executionDetails"], json!({}));
    assert_eq!(body["currentRevision"], json!({"revision": "rev-1", "changeIdentifier": "change-1"}));
}

#[tokio::test]
async fn timestamps_are_epoch_seconds_whole_or_fractional() {
    // (instant, exact text on the wire): an integer when whole, else the fraction without padding.
    let cases = [
        (DateTime::from_secs(1_700_000_000), "1700000000"),
        (DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000), "1700000000.123"),
        (DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000), "1700000000.5"),
        (DateTime::from_secs(0), "0"),
    ];
    for (instant, expected) in cases {
        let h = Harness::new(200, "");
        let mut input = success_input();
        input.current_revision.as_mut().expect("set").created = Some(instant);
        h.client.call_put_third_party_job_success_result(input).await.expect("call succeeds");
        let (text, body) = h.only_body(SUCCESS);
        assert!(text.contains(&format!("\"created\":{expected}")), "expected created {expected} in {text}");
        let expected_value: Value = serde_json::from_str(expected).expect("a JSON number");
        assert_eq!(body["currentRevision"]["created"], expected_value);
    }
}

#[tokio::test]
async fn strings_are_escaped_and_arrive_intact() {
    let awkward = "line one\nline \"two\"\t\\ é 日 😀 \u{1} </script>";
    let h = Harness::new(200, "");
    let mut input = failure_input();
    input.failure_details.message = awkward.to_owned();
    h.client.call_put_third_party_job_failure_result(input).await.expect("call succeeds");
    assert_eq!(h.only_body(FAILURE).1["failureDetails"]["message"], awkward);
}

// ---- Validation in the client.

#[tokio::test]
async fn the_client_sends_nothing_for_an_invalid_input() {
    let h = Harness::new(200, "{}");
    let mut input = failure_input();
    input.failure_details.r#type = FailureType::from("Nope");
    input.failure_details.message = "m".repeat(5001);
    let error = h.client.call_put_third_party_job_failure_result(input).await.expect_err("invalid input");
    let SdkError::Validation(validation) = &error else { panic!("expected a validation error, got {error:?}") };
    let paths: Vec<&str> = validation.violations().iter().map(|v| v.path()).collect();
    assert_eq!(paths, ["failureDetails.type", "failureDetails.message"]);
    assert_eq!(h.sent(), 0);

    // Missing required members through the fluent builder: every one named, nothing sent.
    let error = h.client.put_third_party_job_failure_result().job_id("job-1").send().await.expect_err("incomplete");
    let SdkError::Validation(validation) = &error else { panic!("expected a validation error, got {error:?}") };
    let paths: Vec<&str> = validation.violations().iter().map(|v| v.path()).collect();
    assert_eq!(paths, ["clientToken", "failureDetails"]);
    assert_eq!(h.sent(), 0);
}

#[tokio::test]
async fn required_only_validation_leaves_constraints_to_the_service() {
    let h = Harness::with(200, &[], "", ValidationMode::RequiredOnly);
    let mut input = failure_input();
    input.failure_details.message = "m".repeat(5001);
    h.client.call_put_third_party_job_failure_result(input).await.expect("sent without length checks");
    assert_eq!(h.only_body(FAILURE).1["failureDetails"]["message"].as_str().map(str::len), Some(5001));
}

// ---- Outputs.

#[tokio::test]
async fn acknowledge_output_is_parsed() {
    for &value in JobStatus::values() {
        let body = json!({"status": value}).to_string();
        let h = Harness::new(200, &body);
        let output = h.client.call_acknowledge_third_party_job(ack_input()).await.expect("call succeeds");
        assert_eq!(output.status, Some(JobStatus::from(value)));
    }
    // An unknown value is kept as it came; empty bodies, nulls and unknown members are fine.
    let cases = [
        (r#"{"status":"Brand New"}"#, Some(JobStatus::Unknown("Brand New".to_owned()))),
        (r#"{"status":"Queued","futureMember":{"nested":[1,2]}}"#, Some(JobStatus::Queued)),
        (r#"{"status":null}"#, None),
        ("{}", None),
        ("", None),
    ];
    for (body, expected) in cases {
        let h = Harness::new(200, body);
        let output = h.client.call_acknowledge_third_party_job(ack_input()).await.expect("call succeeds");
        assert_eq!(output.status, expected, "body {body:?}");
    }
}

#[tokio::test]
async fn unit_outputs_accept_empty_and_unknown_bodies() {
    for body in ["", "{}", r#"{"somethingNew":true}"#] {
        let h = Harness::new(200, body);
        h.client.call_put_third_party_job_success_result(success_input()).await.expect("success output");
        let h = Harness::new(200, body);
        h.client.call_put_third_party_job_failure_result(failure_input()).await.expect("failure output");
    }
}

#[tokio::test]
async fn a_malformed_output_is_a_response_error() {
    for body in [r#"{"status":5}"#, "not json", "[]"] {
        let h = Harness::new(200, body);
        let error = h.client.call_acknowledge_third_party_job(ack_input()).await.expect_err("malformed body");
        assert!(matches!(error, SdkError::Response(_)), "body {body:?}: {error:?}");
    }
}

// ---- Modeled errors.

/// The errors the model lists for `operation`.
fn model_errors(operation: &str) -> Vec<String> {
    let model = model();
    let (_, shape) = operations(&model).into_iter().find(|(name, _)| name == operation).expect("operation");
    let errors = shape["errors"].as_array().cloned().unwrap_or_default();
    errors.iter().map(|e| short_name(e["target"].as_str().expect("error target")).to_owned()).collect()
}

/// Bodies that name `code` the ways awsJson services do, with the message each should yield.
fn error_bodies(code: &str) -> Vec<(String, Option<&'static str>)> {
    vec![
        (json!({"__type": format!("com.amazonaws.codepipeline#{code}"), "message": "by type"}).to_string(), Some("by type")),
        (json!({"code": code, "Message": "by code"}).to_string(), Some("by code")),
        (
            json!({"__type": format!("{code}:http://internal.amazon.com/coral/com.amazonaws.codepipeline/"), "Message": "with URI"})
                .to_string(),
            Some("with URI"),
        ),
        (json!({"__type": code}).to_string(), None),
    ]
}

fn service_error<E: std::fmt::Debug>(error: SdkError<E>) -> ServiceError<E> {
    match error {
        SdkError::Service(e) => e,
        other => panic!("expected a service error, got {other:?}"),
    }
}

fn ack_error(e: &AcknowledgeThirdPartyJobError) -> (&'static str, Option<String>) {
    use AcknowledgeThirdPartyJobError as E;
    match e {
        E::InvalidClientTokenException(x) => ("InvalidClientTokenException", x.message.clone()),
        E::InvalidNonceException(x) => ("InvalidNonceException", x.message.clone()),
        E::JobNotFoundException(x) => ("JobNotFoundException", x.message.clone()),
        E::ValidationException(x) => ("ValidationException", x.message.clone()),
        other => panic!("not a modeled error: {other:?}"),
    }
}

fn failure_error(e: &PutThirdPartyJobFailureResultError) -> (&'static str, Option<String>) {
    use PutThirdPartyJobFailureResultError as E;
    match e {
        E::InvalidClientTokenException(x) => ("InvalidClientTokenException", x.message.clone()),
        E::InvalidJobStateException(x) => ("InvalidJobStateException", x.message.clone()),
        E::JobNotFoundException(x) => ("JobNotFoundException", x.message.clone()),
        E::ValidationException(x) => ("ValidationException", x.message.clone()),
        other => panic!("not a modeled error: {other:?}"),
    }
}

fn success_error(e: &PutThirdPartyJobSuccessResultError) -> (&'static str, Option<String>) {
    use PutThirdPartyJobSuccessResultError as E;
    match e {
        E::InvalidClientTokenException(x) => ("InvalidClientTokenException", x.message.clone()),
        E::InvalidJobStateException(x) => ("InvalidJobStateException", x.message.clone()),
        E::JobNotFoundException(x) => ("JobNotFoundException", x.message.clone()),
        E::ValidationException(x) => ("ValidationException", x.message.clone()),
        other => panic!("not a modeled error: {other:?}"),
    }
}

const REQUEST_ID: (&str, &str) = ("x-amzn-RequestId", "req-123");

#[tokio::test]
async fn every_modeled_error_is_parsed_from_its_body() {
    for code in model_errors(ACK) {
        for (body, message) in error_bodies(&code) {
            let h = Harness::with(400, &[REQUEST_ID], &body, ValidationMode::Full);
            let error = service_error(h.client.call_acknowledge_third_party_job(ack_input()).await.expect_err("400"));
            assert_eq!(ack_error(error.err()), (code.as_str(), message.map(str::to_owned)), "{body}");
            assert_eq!(error.err().code(), Some(code.as_str()));
            assert_eq!((error.meta().status(), error.meta().request_id()), (Some(400), Some("req-123")));
            if let Some(message) = message {
                assert!(error.err().to_string().contains(message), "{}", error.err());
            }
        }
    }
    for code in model_errors(FAILURE) {
        for (body, message) in error_bodies(&code) {
            let h = Harness::new(400, &body);
            let error = service_error(
                h.client.call_put_third_party_job_failure_result(failure_input()).await.expect_err("400"),
            );
            assert_eq!(failure_error(error.err()), (code.as_str(), message.map(str::to_owned)), "{body}");
        }
    }
    for code in model_errors(SUCCESS) {
        for (body, message) in error_bodies(&code) {
            let h = Harness::new(400, &body);
            let error = service_error(
                h.client.call_put_third_party_job_success_result(success_input()).await.expect_err("400"),
            );
            assert_eq!(success_error(error.err()), (code.as_str(), message.map(str::to_owned)), "{body}");
        }
    }
}

#[tokio::test]
async fn the_error_type_header_names_the_error_when_the_body_cannot() {
    let header =
        ("x-amzn-errortype", "JobNotFoundException:http://internal.amazon.com/coral/com.amazonaws.codepipeline/");
    let h = Harness::with(400, &[header], "<html>not json</html>", ValidationMode::Full);
    let error = service_error(h.client.call_acknowledge_third_party_job(ack_input()).await.expect_err("400"));
    assert_eq!(ack_error(error.err()), ("JobNotFoundException", None));
}

#[tokio::test]
async fn errors_the_operation_does_not_model_are_kept_as_unhandled() {
    // A code no operation models, and one that only another operation models.
    let cases = [
        (r#"{"__type":"SomethingNewException","message":"surprise"}"#, "SomethingNewException"),
        (r#"{"__type":"InvalidNonceException","message":"surprise"}"#, "InvalidNonceException"),
    ];
    for (body, code) in cases {
        let h = Harness::new(400, body);
        let error =
            service_error(h.client.call_put_third_party_job_success_result(success_input()).await.expect_err("400"));
        let PutThirdPartyJobSuccessResultError::Unhandled(unhandled) = error.err() else {
            panic!("expected Unhandled, got {:?}", error.err())
        };
        assert_eq!(unhandled.meta().code(), Some(code));
        assert_eq!(unhandled.meta().message(), Some("surprise"));
        assert_eq!(error.err().code(), Some(code));
        assert!(error.err().to_string().contains("surprise"), "{}", error.err());
    }
}
