//! Sample test for the crate generated from the whole CodePipeline model (awsJson 1.1): nested
//! required structures, a member named `type`, enums, and epoch-seconds timestamps.
//!
//! Copied into the generated crate by `tests/tests/real_models.rs`; not compiled in this workspace.

use codepipeline as sdk;

mod common;

use common::Recorder;
use sdk::error::CreatePipelineError;
use sdk::types::{
    ActionCategory, ActionConfigurationProperty, ActionDeclaration, ActionOwner, ActionTypeId,
    ArtifactDetails, ArtifactStore, ArtifactStoreType, CreatePipelineInput, PipelineDeclaration,
    StageDeclaration, Tag,
};
use sdk::{DateTime, Validate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn pipeline() -> Result<PipelineDeclaration, sdk::ValidationError> {
    let source = ActionDeclaration::builder()
        .name("Source")
        .action_type_id(
            ActionTypeId::builder()
                .category(ActionCategory::Source)
                .owner(ActionOwner::Aws)
                .provider("S3")
                .version("1")
                .build()?,
        )
        .build()?;
    PipelineDeclaration::builder()
        .name("deploy-web")
        .role_arn("arn:aws:iam::123456789012:role/pipeline")
        .artifact_store(
            ArtifactStore::builder()
                .r#type(ArtifactStoreType::S3)
                .location("artifacts-bucket")
                .build()?,
        )
        .stages(vec![StageDeclaration::builder()
            .name("Source")
            .actions(vec![source])
            .build()?])
        .build()
}

#[tokio::test]
async fn create_pipeline_sends_nested_declarations() -> TestResult {
    let input = CreatePipelineInput::builder()
        .pipeline(pipeline()?)
        .tags(vec![Tag::builder().key("team").value("web").build()?])
        .build()?;
    input.validate()?;
    let recorder = Recorder::replying(
        200,
        r#"{"pipeline":{"name":"deploy-web","roleArn":"arn:aws:iam::123456789012:role/pipeline","stages":[],"version":1}}"#,
    );
    let output = recorder
        .client()
        .create_pipeline()
        .pipeline(pipeline()?)
        .set_tags(input.tags.clone())
        .send()
        .await?;
    let request = recorder.only();
    assert_eq!(request.target, "CodePipeline_20150709.CreatePipeline");
    assert_eq!(request.content_type, "application/x-amz-json-1.1");
    let expected = concat!(
        r#"{"pipeline":{"name":"deploy-web","roleArn":"arn:aws:iam::123456789012:role/pipeline","#,
        r#""artifactStore":{"type":"S3","location":"artifacts-bucket"},"#,
        r#""stages":[{"name":"Source","actions":[{"name":"Source","#,
        r#""actionTypeId":{"category":"Source","owner":"AWS","provider":"S3","version":"1"}}]}]},"#,
        r#""tags":[{"key":"team","value":"web"}]}"#,
    );
    assert_eq!(request.body, expected);
    let created = output.pipeline.expect("the pipeline");
    assert_eq!(
        (created.name.as_str(), created.version),
        ("deploy-web", Some(1))
    );
    Ok(())
}

#[tokio::test]
async fn timestamps_are_read_as_epoch_seconds() -> TestResult {
    let reply = r#"{"metadata":{"pipelineArn":"arn:aws:codepipeline:us-east-1:123456789012:deploy-web","created":1700000000.125,"updated":1700000000}}"#;
    let recorder = Recorder::replying(200, reply);
    let output = recorder
        .client()
        .get_pipeline()
        .name("deploy-web")
        .send()
        .await?;
    assert_eq!(recorder.only().body, r#"{"name":"deploy-web"}"#);
    let metadata = output.metadata.expect("metadata");
    assert_eq!(
        metadata.created,
        Some(DateTime::from_secs_and_nanos(1_700_000_000, 125_000_000))
    );
    assert_eq!(metadata.updated, Some(DateTime::from_secs(1_700_000_000)));
    Ok(())
}

#[tokio::test]
async fn invalid_declarations_are_refused_before_sending() -> TestResult {
    let mut declaration = pipeline()?;
    declaration.name = "has spaces".into();
    declaration.stages.clear();
    let input = CreatePipelineInput::builder()
        .pipeline(declaration)
        .build()?;
    let error = input
        .validate()
        .expect_err("the name does not match its pattern");
    let paths: Vec<&str> = error.violations().iter().map(|v| v.path()).collect();
    assert_eq!(paths, ["pipeline.name"]);
    let missing = ActionTypeId::builder()
        .provider("S3")
        .build()
        .expect_err("three members are missing");
    let paths: Vec<&str> = missing.violations().iter().map(|v| v.path()).collect();
    assert_eq!(paths, ["category", "owner", "version"]);
    Ok(())
}

#[tokio::test]
async fn service_errors_are_typed() -> TestResult {
    let reply = r#"{"__type":"PipelineNameInUseException","message":"deploy-web exists"}"#;
    let recorder = Recorder::replying(400, reply);
    let input = CreatePipelineInput::builder()
        .pipeline(pipeline()?)
        .build()?;
    let error = recorder
        .client()
        .call_create_pipeline(input)
        .await
        .expect_err("the name is taken");
    assert!(
        matches!(
            error.as_service_error(),
            Some(CreatePipelineError::PipelineNameInUseException(_))
        ),
        "{error:?}"
    );
    Ok(())
}

/// `ActionConfigurationProperty.required`, `key` and `secret` are `@required` with `@default(false)`:
/// they are always sent, or the service would see required members missing. `queryable` has a
/// default too, so it is sent with it.
#[tokio::test]
async fn required_members_with_defaults_are_always_sent() -> TestResult {
    let recorder = Recorder::replying(200, "{}");
    let details = ArtifactDetails::builder().build()?;
    let property = ActionConfigurationProperty::builder().name("Token").build()?;
    let output = recorder
        .client()
        .create_custom_action_type()
        .category(ActionCategory::Deploy)
        .provider("Mine")
        .version("1")
        .configuration_properties(vec![property])
        .input_artifact_details(details.clone())
        .output_artifact_details(details)
        .send()
        .await?;
    let expected = concat!(
        r#"{"category":"Deploy","provider":"Mine","version":"1","#,
        r#""configurationProperties":[{"name":"Token","required":false,"key":false,"secret":false,"queryable":false}],"#,
        r#""inputArtifactDetails":{"minimumCount":0,"maximumCount":0},"#,
        r#""outputArtifactDetails":{"minimumCount":0,"maximumCount":0}}"#,
    );
    assert_eq!(recorder.only().body, expected);

    // The reply left out the required `actionType`: error correction fills it in, each of its own
    // required members at its zero value or default, rather than failing the call.
    let action_type = output.action_type;
    assert_eq!(action_type.id.category, ActionCategory::Unknown(String::new()));
    assert_eq!(action_type.id.provider, "");
    assert_eq!(
        (
            action_type.input_artifact_details.minimum_count,
            action_type.output_artifact_details.maximum_count
        ),
        (0, 0)
    );
    Ok(())
}

/// `StopPipelineExecution`'s `abandon` has `@default(false)`: left unset it is not sent (the service
/// applies its default), and set to `false` it is sent as set.
#[tokio::test]
async fn an_input_member_set_to_its_default_is_sent() -> TestResult {
    let recorder = Recorder::replying(200, "{}");
    let client = recorder.client();
    let execution = "0123abcd-0000-4000-8000-000000000000";
    let stop = || {
        client
            .stop_pipeline_execution()
            .pipeline_name("deploy-web")
            .pipeline_execution_id(execution)
    };
    stop().send().await?;
    stop().abandon(false).send().await?;
    stop().abandon(true).send().await?;
    let bodies: Vec<String> = recorder.requests().into_iter().map(|r| r.body).collect();
    let body = |abandon: &str| {
        format!(r#"{{"pipelineName":"deploy-web","pipelineExecutionId":"{execution}"{abandon}}}"#)
    };
    assert_eq!(
        bodies,
        [
            body(""),
            body(r#","abandon":false"#),
            body(r#","abandon":true"#)
        ]
    );
    Ok(())
}
