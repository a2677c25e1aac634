//! Sample test for the crate generated from the whole DynamoDB model (awsJson 1.0): the recursive
//! `AttributeValue` union with blobs, maps and lists, idempotency tokens, and typed errors.
//!
//! Copied into the generated crate by `tests/tests/real_models.rs`; not compiled in this workspace.

use dynamodb as sdk;

mod common;

use std::collections::BTreeMap;

use common::Recorder;
use sdk::error::PutItemError;
use sdk::types::{
    AttributeValue, GetItemInput, Put, PutItemInput, ReturnValue, TransactWriteItem,
    TransactWriteItemsInput,
};
use sdk::{Blob, Validate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn item() -> BTreeMap<String, AttributeValue> {
    BTreeMap::from([
        ("pk".to_string(), AttributeValue::S("user#1".into())),
        ("age".to_string(), AttributeValue::N("42".into())),
        (
            "avatar".to_string(),
            AttributeValue::B(Blob::from([0_u8, 1, 2])),
        ),
        (
            "tags".to_string(),
            AttributeValue::L(vec![
                AttributeValue::S("x".into()),
                AttributeValue::Null(true),
            ]),
        ),
        (
            "nested".to_string(),
            AttributeValue::M(BTreeMap::from([
                ("flag".to_string(), AttributeValue::Bool(true)),
                (
                    "names".to_string(),
                    AttributeValue::Ss(vec!["a".into(), "b".into()]),
                ),
                (
                    "raw".to_string(),
                    AttributeValue::Bs(vec![Blob::from(*b"hi")]),
                ),
            ])),
        ),
    ])
}

#[tokio::test]
async fn put_item_sends_nested_attribute_values() -> TestResult {
    let input = PutItemInput::builder()
        .table_name("users")
        .item(item())
        .return_values(ReturnValue::AllOld)
        .condition_expression("attribute_not_exists(#pk)")
        .expression_attribute_names(BTreeMap::from([("#pk".to_string(), "pk".to_string())]))
        .build()?;
    input.validate()?;
    let recorder = Recorder::replying(
        200,
        r#"{"Attributes":{"pk":{"S":"user#1"},"avatar":{"B":"AAEC"}},"ConsumedCapacity":{"TableName":"users","CapacityUnits":1.0}}"#,
    );
    let output = recorder.client().call_put_item(input).await?;
    let request = recorder.only();
    assert_eq!(request.target, "DynamoDB_20120810.PutItem");
    assert_eq!(request.content_type, "application/x-amz-json-1.0");
    let expected = concat!(
        r#"{"TableName":"users","Item":{"age":{"N":"42"},"avatar":{"B":"AAEC"},"#,
        r#""nested":{"M":{"flag":{"BOOL":true},"names":{"SS":["a","b"]},"raw":{"BS":["aGk="]}}},"#,
        r#""pk":{"S":"user#1"},"tags":{"L":[{"S":"x"},{"NULL":true}]}},"#,
        r##""ReturnValues":"ALL_OLD","ConditionExpression":"attribute_not_exists(#pk)","##,
        r##""ExpressionAttributeNames":{"#pk":"pk"}}"##,
    );
    assert_eq!(request.body, expected);

    let attributes = output.attributes.expect("old attributes");
    assert_eq!(
        attributes["avatar"],
        AttributeValue::B(Blob::from([0_u8, 1, 2]))
    );
    let capacity = output.consumed_capacity.expect("consumed capacity");
    assert_eq!(
        (capacity.table_name.as_deref(), capacity.capacity_units),
        (Some("users"), Some(1.0))
    );
    Ok(())
}

#[tokio::test]
async fn transactions_get_an_idempotency_token() -> TestResult {
    let put = Put::builder().table_name("users").item(item()).build()?;
    let input = TransactWriteItemsInput::builder()
        .transact_items(vec![TransactWriteItem::builder().put(put).build()?])
        .build()?;
    let recorder = Recorder::replying(200, "{}");
    recorder.client().call_transact_write_items(input).await?;
    let body: serde_json::Value = serde_json::from_str(&recorder.only().body)?;
    let token = body["ClientRequestToken"]
        .as_str()
        .expect("a token was sent");
    assert_eq!(
        (token.len(), token.as_bytes()[14]),
        (36, b'4'),
        "a UUID v4: {token}"
    );
    assert_eq!(
        body["TransactItems"][0]["Put"]["Item"]["pk"],
        serde_json::json!({"S": "user#1"})
    );
    Ok(())
}

#[tokio::test]
async fn unknown_attribute_types_are_kept() -> TestResult {
    let recorder = Recorder::replying(
        200,
        r#"{"Item":{"pk":{"S":"user#1"},"v":{"VECTOR":[1,2]},"gone":{"NULL":true}}}"#,
    );
    let input = GetItemInput::builder()
        .table_name("users")
        .key(BTreeMap::from([(
            "pk".to_string(),
            AttributeValue::S("user#1".into()),
        )]))
        .build()?;
    let output = recorder.client().call_get_item(input).await?;
    let item = output.item.expect("an item");
    assert_eq!(item["v"], AttributeValue::Unknown("VECTOR".into()));
    assert_eq!(item["gone"], AttributeValue::Null(true));
    assert_eq!(
        recorder.only().body,
        r#"{"TableName":"users","Key":{"pk":{"S":"user#1"}}}"#
    );
    Ok(())
}

#[tokio::test]
async fn constraint_violations_are_caught_before_sending() -> TestResult {
    let input = PutItemInput::builder()
        .table_name("")
        .item(BTreeMap::new())
        .build()?;
    let error = input
        .validate()
        .expect_err("an empty table name is too short");
    assert_eq!(error.violations()[0].path(), "TableName");
    let missing = PutItemInput::builder()
        .build()
        .expect_err("table and item are required");
    let paths: Vec<&str> = missing.violations().iter().map(|v| v.path()).collect();
    assert_eq!(paths, ["TableName", "Item"]);
    Ok(())
}

#[tokio::test]
async fn conditional_check_failures_carry_the_item() -> TestResult {
    let reply = r#"{"__type":"com.amazonaws.dynamodb#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"pk":{"S":"user#1"}}}"#;
    let recorder = Recorder::replying(400, reply);
    let input = PutItemInput::builder()
        .table_name("users")
        .item(item())
        .build()?;
    let error = recorder
        .client()
        .call_put_item(input)
        .await
        .expect_err("the condition failed");
    match error.as_service_error() {
        Some(PutItemError::ConditionalCheckFailedException(e)) => {
            assert_eq!(e.message.as_deref(), Some("The conditional request failed"));
            let item = e.item.as_ref().expect("the item");
            assert_eq!(item["pk"], AttributeValue::S("user#1".into()));
        }
        other => panic!("expected ConditionalCheckFailedException, got {other:?}"),
    }
    Ok(())
}

/// `Query` pages with a map token: each page's `LastEvaluatedKey` is the next request's
/// `ExclusiveStartKey`, and a page without one is the last.
#[tokio::test]
async fn query_pages_follow_the_last_evaluated_key() -> TestResult {
    let recorder = Recorder::scripted(&[
        (
            200,
            r#"{"Items":[{"pk":{"S":"a"}}],"Count":1,"LastEvaluatedKey":{"pk":{"S":"a"}}}"#,
        ),
        (200, r#"{"Items":[{"pk":{"S":"b"}}],"Count":1}"#),
    ]);
    let items = recorder
        .client()
        .query()
        .table_name("t")
        .into_paginator()
        .page_size(1)
        .items()
        .try_collect()
        .await?;
    let keys: Vec<Option<&AttributeValue>> = items.iter().map(|item| item.get("pk")).collect();
    assert_eq!(
        keys,
        [
            Some(&AttributeValue::S("a".into())),
            Some(&AttributeValue::S("b".into()))
        ]
    );
    let bodies: Vec<String> = recorder.requests().into_iter().map(|r| r.body).collect();
    assert_eq!(
        bodies,
        [
            r#"{"TableName":"t","Limit":1}"#,
            r#"{"TableName":"t","Limit":1,"ExclusiveStartKey":{"pk":{"S":"a"}}}"#,
        ]
    );
    Ok(())
}

// The command-line tool pages through `Scan` and `Query` as the AWS CLI does: their token is a map
// (`LastEvaluatedKey`, sent back as `ExclusiveStartKey`), and `NextToken` is botocore's encoding
// of it (base64 of the JSON object the AWS CLI would print, under the input token's name).

const CLI: &str = env!("CARGO_BIN_EXE_dynamodb");

/// Three pages of a table scan, by the `ExclusiveStartKey` each is requested with.
fn scan_pages(body: &serde_json::Value) -> (u16, String) {
    let page = match body["ExclusiveStartKey"]["pk"]["S"].as_str() {
        None if body.get("ExclusiveStartKey").is_none() => {
            r#"{"Items":[{"pk":{"S":"a"}},{"pk":{"S":"b"}}],"Count":2,"ScannedCount":2,"LastEvaluatedKey":{"pk":{"S":"b"}}}"#
        }
        Some("b") => {
            r#"{"Items":[{"pk":{"S":"c"}},{"pk":{"S":"d"}}],"Count":2,"ScannedCount":2,"LastEvaluatedKey":{"pk":{"S":"d"}}}"#
        }
        Some("d") => r#"{"Items":[{"pk":{"S":"e"}}],"Count":1,"ScannedCount":1,"LastEvaluatedKey":{}}"#,
        _ => {
            return (
                400,
                r#"{"__type":"com.amazonaws.dynamodb#ValidationException","message":"bad key"}"#.into(),
            )
        }
    };
    (200, page.to_owned())
}

fn keys(pks: &[&str]) -> serde_json::Value {
    pks.iter()
        .map(|pk| serde_json::json!({"pk": {"S": pk}}))
        .collect()
}

#[test]
fn the_cli_follows_scan_pages_by_their_map_token() {
    let server = common::PageServer::start(scan_pages);
    let (code, stdout, stderr) = server.run_cli(CLI, &["scan", "--table-name", "t"]);
    assert_eq!(code, 0, "{stderr}");
    let output: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    assert_eq!(
        output,
        serde_json::json!({"Items": keys(&["a", "b", "c", "d", "e"])})
    );
    let sent: Vec<serde_json::Value> = server
        .bodies()
        .iter()
        .map(|b| b["ExclusiveStartKey"].clone())
        .collect();
    assert_eq!(
        sent,
        [
            serde_json::Value::Null,
            serde_json::json!({"pk": {"S": "b"}}),
            serde_json::json!({"pk": {"S": "d"}})
        ],
        "an empty LastEvaluatedKey ends the pages"
    );
}

#[test]
fn the_cli_resumes_a_scan_from_the_token_it_printed() {
    let server = common::PageServer::start(scan_pages);
    let (code, stdout, stderr) =
        server.run_cli(CLI, &["scan", "--table-name", "t", "--max-items", "3"]);
    assert_eq!(code, 0, "{stderr}");
    let output: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    // Python: base64.b64encode(json.dumps({"ExclusiveStartKey": {"pk": {"S": "b"}},
    // "boto_truncate_amount": 1})): page two, of which one item was printed.
    let token = "eyJFeGNsdXNpdmVTdGFydEtleSI6IHsicGsiOiB7IlMiOiAiYiJ9fSwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogMX0=";
    assert_eq!(
        output,
        serde_json::json!({"Items": keys(&["a", "b", "c"]), "NextToken": token})
    );

    let (code, stdout, stderr) = server.run_cli(
        CLI,
        &["scan", "--table-name", "t", "--starting-token", token],
    );
    assert_eq!(code, 0, "{stderr}");
    let output: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    assert_eq!(output, serde_json::json!({"Items": keys(&["d", "e"])}));
    let bodies = server.bodies();
    assert_eq!(bodies.len(), 4, "two calls each");
    assert_eq!(bodies[2]["ExclusiveStartKey"], serde_json::json!({"pk": {"S": "b"}}));

    // A string token is no start key: nothing is sent.
    let (code, _, stderr) = server.run_cli(
        CLI,
        &["scan", "--table-name", "t", "--starting-token", "p2___1"],
    );
    assert_eq!(code, 255, "{stderr}");
    assert!(stderr.contains("Bad starting token: p2___1"), "{stderr}");
    assert_eq!(server.bodies().len(), 4);
}

/// Two pages of a table whose key is binary.
fn binary_key_pages(body: &serde_json::Value) -> (u16, String) {
    match body["ExclusiveStartKey"]["pk"]["B"].as_str() {
        None => (
            200,
            r#"{"Items":[{"pk":{"B":"AA=="}}],"LastEvaluatedKey":{"pk":{"B":"AAE="}}}"#.into(),
        ),
        Some("AAE=") => (200, r#"{"Items":[{"pk":{"B":"AQ=="}}]}"#.into()),
        Some(_) => (
            400,
            r#"{"__type":"com.amazonaws.dynamodb#ValidationException","message":"bad key"}"#.into(),
        ),
    }
}

#[test]
fn a_binary_start_key_is_listed_in_the_token_as_botocore_lists_it() {
    let server = common::PageServer::start(binary_key_pages);
    let (code, stdout, stderr) =
        server.run_cli(CLI, &["scan", "--table-name", "t", "--max-items", "1"]);
    assert_eq!(code, 0, "{stderr}");
    let output: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    // Python: base64.b64encode(json.dumps({"ExclusiveStartKey": {"pk": {"B": "AAE="}},
    // "boto_encoded_keys": [["ExclusiveStartKey", "pk", "B"]]})), what botocore's TokenEncoder
    // writes for a key holding bytes, so that the AWS CLI sends them back as bytes.
    let token = "eyJFeGNsdXNpdmVTdGFydEtleSI6IHsicGsiOiB7IkIiOiAiQUFFPSJ9fSwgImJvdG9fZW5jb2RlZF9rZXlzIjogW1siRXhjbHVzaXZlU3RhcnRLZXkiLCAicGsiLCAiQiJdXX0=";
    assert_eq!(
        output,
        serde_json::json!({"Items": [{"pk": {"B": "AA=="}}], "NextToken": token})
    );
    let (code, stdout, stderr) = server.run_cli(
        CLI,
        &["scan", "--table-name", "t", "--starting-token", token],
    );
    assert_eq!(code, 0, "{stderr}");
    let output: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    assert_eq!(output, serde_json::json!({"Items": [{"pk": {"B": "AQ=="}}]}));
    assert_eq!(
        server.bodies()[1]["ExclusiveStartKey"],
        serde_json::json!({"pk": {"B": "AAE="}})
    );
}

#[test]
fn the_cli_query_takes_a_page_size_and_stops_on_a_page_boundary() {
    let server = common::PageServer::start(scan_pages);
    let (code, stdout, stderr) = server.run_cli(
        CLI,
        &["query", "--table-name", "t", "--page-size", "2", "--max-items", "2"],
    );
    assert_eq!(code, 0, "{stderr}");
    let output: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    // Python: base64.b64encode(json.dumps({"ExclusiveStartKey": {"pk": {"S": "b"}}})).
    assert_eq!(
        output,
        serde_json::json!({
            "Items": keys(&["a", "b"]),
            "NextToken": "eyJFeGNsdXNpdmVTdGFydEtleSI6IHsicGsiOiB7IlMiOiAiYiJ9fX0="
        })
    );
    assert_eq!(server.bodies(), [serde_json::json!({"TableName": "t", "Limit": 2})]);
}

// DynamoDB's own waiters, `TableExists` and `TableNotExists` (`DescribeTable`, `minDelay` 20 s), on
// tokio's paused clock so the delays pass at once.

mod waiters {
    use std::time::Duration;

    use super::common::Recorder;
    use super::sdk;
    use sdk::error::{DescribeTableError, SdkError};
    use sdk::waiters::WaiterError;
    use tokio::time::Instant;

    const NOT_FOUND: (u16, &str) = (
        400,
        r#"{"__type":"com.amazonaws.dynamodb#ResourceNotFoundException","message":"Requested resource not found"}"#,
    );
    const CREATING: (u16, &str) = (200, r#"{"Table":{"TableName":"t","TableStatus":"CREATING"}}"#);
    const ACTIVE: (u16, &str) = (200, r#"{"Table":{"TableName":"t","TableStatus":"ACTIVE"}}"#);

    #[tokio::test(start_paused = true)]
    async fn table_exists_retries_not_found_and_creating_until_active() {
        let recorder = Recorder::script(&[NOT_FOUND, CREATING, ACTIVE]);
        let start = Instant::now();
        let done = recorder
            .client()
            .wait_until_table_exists()
            .table_name("t")
            .wait(Duration::from_secs(1200))
            .await
            .expect("the table becomes active");
        assert_eq!(done.attempts(), 3);
        let table = done.as_result().ok().and_then(|o| o.table.as_ref()).expect("a table");
        assert_eq!(table.table_status.as_ref().map(|s| s.as_str()), Some("ACTIVE"));
        for request in recorder.requests() {
            assert_eq!(request.target, "DynamoDB_20120810.DescribeTable");
            assert_eq!(request.body, r#"{"TableName":"t"}"#);
        }
        // 20 s, then 20 to 40 s.
        let elapsed = start.elapsed();
        assert!((Duration::from_secs(40)..=Duration::from_secs(60)).contains(&elapsed), "{elapsed:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn table_exists_gives_up_at_the_deadline() {
        let recorder = Recorder::replying(CREATING.0, CREATING.1);
        let start = Instant::now();
        let error = recorder
            .client()
            .wait_until_table_exists()
            .table_name("t")
            .wait(Duration::from_secs(300))
            .await
            .expect_err("never active");
        assert!(matches!(error, WaiterError::ExceededMaxWait { .. }), "{error:?}");
        assert_eq!(start.elapsed(), Duration::from_secs(300));
    }

    #[tokio::test(start_paused = true)]
    async fn table_exists_stops_on_an_error_it_does_not_expect() {
        let recorder = Recorder::replying(
            400,
            r#"{"__type":"com.amazon.coral.service#AccessDeniedException","message":"no"}"#,
        );
        let error = recorder
            .client()
            .wait_until_table_exists()
            .table_name("t")
            .wait(Duration::from_secs(300))
            .await
            .expect_err("access denied");
        match error {
            WaiterError::OperationFailed { error: SdkError::Service(e), attempts: 1 } => {
                assert_eq!(e.meta().code(), Some("AccessDeniedException"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn table_not_exists_succeeds_on_resource_not_found() {
        let recorder = Recorder::script(&[ACTIVE, NOT_FOUND]);
        let done = recorder
            .client()
            .wait_until_table_not_exists()
            .table_name("t")
            .wait(Duration::from_secs(300))
            .await
            .expect("the table is gone");
        assert_eq!(done.attempts(), 2);
        match done.into_result() {
            Err(SdkError::Service(e)) => {
                assert!(matches!(e.err(), DescribeTableError::ResourceNotFoundException(_)), "{:?}", e.err())
            }
            other => panic!("{other:?}"),
        }
    }
}
