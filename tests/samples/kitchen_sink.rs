//! Sample test for the crate generated from `tests/models/kitchen_sink.json`: every shape type and
//! trait on the wire in both directions, validation, redaction, and names that are awkward in Rust.
//!
//! Copied into the generated crate by `tests/tests/real_models.rs`; not compiled in this workspace.

use kitchen_sink as sdk;

mod common;

use std::collections::BTreeMap;

use common::Recorder;
use sdk::error::{GetItemError, PutEverythingError};
use sdk::types::{Choice, Color, Item, Level, Login, Node, OtherItem, PutEverythingInput};
use sdk::{types, BigDecimal, BigInteger, Blob, DateTime, Validate};

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

/// 2023-11-14T22:13:20Z.
const SECS: i64 = 1_700_000_000;

#[allow(deprecated)] // `oldField` is deprecated in the model; it must still be sent.
fn everything() -> std::result::Result<PutEverythingInput, Box<dyn std::error::Error>> {
    Ok(PutEverythingInput::builder()
        .r#type("t")
        .self_("me")
        .r#match(3)
        .foo_bar("lower")
        .foo_bar_2(2)
        .build_value("b")
        .name("n")
        .set_name_value("sn")
        .byte(-5)
        .short(300)
        .integer(10)
        .long(-9_007_199_254_740_993)
        .float(1.5)
        .double(f64::NAN)
        .count(0)
        .enabled(false)
        .big_int("123456789012345678901234567890".parse::<BigInteger>()?)
        .big_dec("-1.5e-300".parse::<BigDecimal>()?)
        .epoch(DateTime::from_secs(SECS))
        .date_time(DateTime::from_secs(SECS))
        .http_date(DateTime::from_secs(SECS))
        .data([1_u8, 2, 3])
        .doc(serde_json::json!({"a": [1, null, true]}))
        .color(Color::UnknownValue)
        .level(Level::High)
        .choice(Choice::Inner(Box::new(Choice::List(vec![
            Choice::Text("x".into()),
            Choice::Number(2),
        ]))))
        .tree(
            Node::builder()
                .value(1)
                .next(Node::builder().value(2).build()?)
                .children(vec![Node::builder().value(3).build()?])
                .build()?,
        )
        .sparse_list(vec![Some("a".into()), None])
        .sparse_map(BTreeMap::from([("a".into(), None), ("b".into(), Some(1))]))
        .tags(BTreeMap::from([("k".into(), "v".into())]))
        .color_counts(BTreeMap::from([(Color::Red, 1)]))
        .sparse_color_notes(BTreeMap::from([
            (Color::OldBlue, None),
            (Color::Green, Some("g".into())),
        ]))
        .token("tok")
        .secret("hunter2")
        .login(Login::builder().user("u").password("p4ss").build()?)
        .old_field("old")
        .renamed("r")
        .client_optional("co")
        .code("ABC")
        .label("Ünïcode")
        .result(types::Result::builder().ok(true).build()?)
        .option(types::Option::None)
        .string(types::String::builder().value("v").build()?)
        .r#box(types::Box::Boxed("b".into()))
        .vec(types::Vec::Two)
        .item(Item::builder().id("i").size(7).build()?)
        .other_item(OtherItem::builder().name("o").build()?)
        .build()?)
}

#[tokio::test]
async fn every_shape_type_is_written_as_the_protocol_says() -> TestResult {
    let input = everything()?;
    input.validate()?;
    let recorder = Recorder::replying(200, "{}");
    recorder.client().call_put_everything(input).await?;
    let request = recorder.only();
    assert_eq!(request.target, "KitchenSink.PutEverything");
    assert_eq!(request.content_type, "application/x-amz-json-1.0");
    // Members in model order; `count` and `enabled` are sent as set, though `count` equals its
    // default; `greeting` and `names` were not set, so the service applies their defaults;
    // `@jsonName` does not apply to awsJson, so `renamed` keeps its member name.
    let expected = concat!(
        r#"{"type":"t","self":"me","match":3,"fooBar":"lower","FooBar":2,"build":"b","name":"n","setName":"sn","#,
        r#""byte":-5,"short":300,"integer":10,"long":-9007199254740993,"float":1.5,"double":"NaN","count":0,"enabled":false,"#,
        r#""bigInt":123456789012345678901234567890,"bigDec":-1.5e-300,"#,
        r#""epoch":1700000000,"dateTime":"2023-11-14T22:13:20Z","httpDate":"Tue, 14 Nov 2023 22:13:20 GMT","#,
        r#""data":"AQID","doc":{"a":[1,null,true]},"color":"unknown","level":10,"#,
        r#""choice":{"inner":{"list":[{"text":"x"},{"number":2}]}},"#,
        r#""tree":{"value":1,"next":{"value":2},"children":[{"value":3}]},"#,
        r#""sparseList":["a",null],"sparseMap":{"a":null,"b":1},"tags":{"k":"v"},"colorCounts":{"red":1},"#,
        r#""sparseColorNotes":{"green":"g","blue":null},"#,
        r#""token":"tok","secret":"hunter2","login":{"user":"u","password":"p4ss"},"oldField":"old","renamed":"r","#,
        r#""clientOptional":"co","code":"ABC","label":"Ünïcode","result":{"ok":true},"option":"none","#,
        r#""string":{"value":"v"},"box":{"boxed":"b"},"vec":2,"item":{"id":"i","size":7},"otherItem":{"name":"o"}}"#,
    );
    assert_eq!(request.body, expected);
    Ok(())
}

#[tokio::test]
async fn non_finite_floats_are_strings() -> TestResult {
    let input = PutEverythingInput::builder()
        .r#type("t")
        .token("tok")
        .float(f32::NEG_INFINITY)
        .double(f64::INFINITY)
        .build()?;
    let recorder = Recorder::replying(200, "{}");
    recorder.client().call_put_everything(input).await?;
    assert_eq!(
        recorder.only().body,
        r#"{"type":"t","float":"-Infinity","double":"Infinity","token":"tok"}"#
    );
    Ok(())
}

#[tokio::test]
async fn every_broken_constraint_is_reported_and_nothing_is_sent() -> TestResult {
    let input = PutEverythingInput::builder()
        .r#type("t")
        .byte(101)
        .integer(0)
        .data(vec![0_u8; 9])
        .color(Color::Unknown("purple".into()))
        .choice(Choice::Unknown("future".into()))
        .tags((0..4).map(|i| (format!("k{i}"), String::new())).collect())
        .code("abc")
        .label("abc1")
        .build()?;
    let error = input
        .validate()
        .expect_err("the input breaks its constraints");
    let paths: Vec<&str> = error.violations().iter().map(|v| v.path()).collect();
    assert_eq!(
        paths,
        ["byte", "integer", "data", "color", "choice", "tags", "code", "label"]
    );
    let text = error.to_string();
    assert!(
        text.contains("data: length must be at most 8 bytes, but is 9"),
        "{text}"
    );
    assert!(
        text.contains("`purple` is not one of the allowed values (red, green, unknown, blue)"),
        "{text}"
    );

    let recorder = Recorder::replying(200, "{}");
    let sent = recorder.client().call_put_everything(input).await;
    assert!(
        matches!(sent, Err(sdk::error::SdkError::Validation(_))),
        "{sent:?}"
    );
    assert!(recorder.requests().is_empty());
    Ok(())
}

#[test]
fn builders_name_missing_required_members() {
    let error = PutEverythingInput::builder()
        .build()
        .expect_err("`type` is required");
    let paths: Vec<&str> = error.violations().iter().map(|v| v.path()).collect();
    // `clientOptional` is required in the model but optional for clients.
    assert_eq!(paths, ["type"]);
    let error = Node::builder().build().expect_err("`value` is required");
    assert_eq!(error.violations()[0].path(), "value");
}

#[test]
fn defaults_are_left_to_the_service() -> TestResult {
    // Members of an operation input with defaults stay unset: the service applies its defaults.
    let first = PutEverythingInput::builder().r#type("t").build()?;
    assert_eq!(
        (first.count, first.enabled, first.greeting.as_deref()),
        (None, None, None)
    );
    assert_eq!(first.names, None);
    let body = first.to_json_body();
    assert!(
        ["count", "enabled", "greeting", "names"]
            .iter()
            .all(|member| !body.contains(&format!("\"{member}\""))),
        "{body}"
    );
    Ok(())
}

/// The `token` each request of `recorder` carried.
fn sent_tokens(recorder: &Recorder) -> Vec<Option<String>> {
    bodies(recorder)
        .iter()
        .map(|body| body["token"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn unset_idempotency_tokens_are_filled_in_per_call() -> TestResult {
    // The call fills the token, so the builder leaves it unset.
    let input = PutEverythingInput::builder().r#type("t").build()?;
    assert_eq!(input.token, None);
    let recorder = Recorder::replying(200, "{}");
    let client = recorder.client();
    client.call_put_everything(input.clone()).await?;
    client.put_everything().r#type("t").send().await?;
    client
        .put_everything()
        .r#type("t")
        .token("mine")
        .send()
        .await?;
    let tokens = sent_tokens(&recorder);
    for token in tokens[..2].iter() {
        let token = token.as_deref().expect("a token was filled in");
        let bytes = token.as_bytes();
        assert_eq!(token.len(), 36, "{token}");
        assert!([8, 13, 18, 23].iter().all(|&i| bytes[i] == b'-'), "{token}");
        assert_eq!(bytes[14], b'4', "a version 4 UUID: {token}");
    }
    assert_ne!(tokens[0], tokens[1], "each call gets a fresh token");
    assert_eq!(tokens[2].as_deref(), Some("mine"), "a token set is kept");
    Ok(())
}

#[tokio::test]
async fn the_configured_provider_makes_the_tokens() -> TestResult {
    let recorder = Recorder::replying(200, "{}");
    let client = recorder.client_with(
        sdk::client::Config::builder()
            .idempotency_token_provider(|| "00000000-0000-4000-8000-000000000000".to_string()),
    );
    client.put_everything().r#type("t").send().await?;
    client
        .put_everything()
        .r#type("t")
        .token("mine")
        .send()
        .await?;
    assert_eq!(
        sent_tokens(&recorder),
        [
            Some("00000000-0000-4000-8000-000000000000".to_string()),
            Some("mine".to_string())
        ]
    );
    Ok(())
}

#[tokio::test]
async fn every_shape_type_is_read_leniently() -> TestResult {
    let reply = concat!(
        r#"{"choice":{"inner":{"text":"deep"}},"color":"purple","level":7,"epoch":1700000000.5,"#,
        r#""dateTime":"2023-11-14T22:13:20.250Z","httpDate":"Tue, 14 Nov 2023 22:13:20 GMT","data":"AQID","#,
        r#""double":"-Infinity","float":"NaN","bigInt":18446744073709551615,"bigDec":0.25,"doc":{"x":null},"#,
        r#""sparseList":[null,"b"],"sparseMap":{"k":null},"#,
        r#""tree":{"value":1,"children":[{"value":2,"next":{"value":3}}]},"#,
        r#""secret":"s3cr3t","box":{"futureMember":1},"vec":2,"unexpected":{"ignored":true}}"#,
    );
    let recorder = Recorder::replying(200, reply);
    let input = PutEverythingInput::builder().r#type("t").build()?;
    let output = recorder.client().call_put_everything(input).await?;
    assert_eq!(
        output.choice,
        Some(Choice::Inner(Box::new(Choice::Text("deep".into()))))
    );
    assert_eq!(output.color, Some(Color::Unknown("purple".into())));
    assert_eq!(output.level, Some(Level::Unknown(7)));
    assert_eq!(
        output.epoch,
        Some(DateTime::from_secs_and_nanos(SECS, 500_000_000))
    );
    assert_eq!(
        output.date_time,
        Some(DateTime::from_secs_and_nanos(SECS, 250_000_000))
    );
    assert_eq!(output.http_date, Some(DateTime::from_secs(SECS)));
    assert_eq!(output.data, Some(Blob::from([1_u8, 2, 3])));
    assert_eq!(output.double, Some(f64::NEG_INFINITY));
    assert!(output.float.is_some_and(f32::is_nan));
    assert_eq!(
        output.big_int.as_ref().map(BigInteger::as_str),
        Some("18446744073709551615")
    );
    assert_eq!(output.big_dec.as_ref().map(BigDecimal::as_f64), Some(0.25));
    assert_eq!(output.doc, Some(serde_json::json!({"x": null})));
    assert_eq!(output.sparse_list, Some(vec![None, Some("b".into())]));
    assert_eq!(
        output.sparse_map,
        Some(BTreeMap::from([("k".into(), None)]))
    );
    let tree = output.tree.as_ref().expect("a tree");
    let child = &tree.children.as_ref().expect("children")[0];
    assert_eq!(
        (
            tree.value,
            child.value,
            child.next.as_ref().map(|n| n.value)
        ),
        (1, 2, Some(3))
    );
    assert_eq!(output.count, 0, "a missing member with a default gets it");
    assert_eq!(
        output.r#box,
        Some(types::Box::Unknown("futureMember".into()))
    );
    assert_eq!(output.vec, Some(types::Vec::Two));
    let debug = format!("{output:?}");
    assert!(!debug.contains("s3cr3t"), "{debug}");
    assert!(debug.contains("Blob(3 bytes)"), "{debug}");
    Ok(())
}

#[tokio::test]
async fn a_union_member_without_a_value_is_an_empty_object() -> TestResult {
    // `nothing` targets smithy.api#Unit: a variant without a payload, `{}` on the wire both ways.
    let input = PutEverythingInput::builder()
        .r#type("t")
        .choice(Choice::Nothing)
        .build()?;
    input.validate()?;
    let recorder = Recorder::replying(200, r#"{"choice":{"nothing":{}}}"#);
    let output = recorder.client().call_put_everything(input).await?;
    let body = recorder.only().body;
    assert!(body.contains(r#""choice":{"nothing":{}}"#), "{body}");
    assert_eq!(output.choice, Some(Choice::Nothing));
    // Anything but an object there is a malformed response, reported with its path.
    let recorder = Recorder::replying(200, r#"{"choice":{"nothing":1}}"#);
    let input = PutEverythingInput::builder().r#type("t").build()?;
    let error = recorder
        .client()
        .call_put_everything(input)
        .await
        .expect_err("a number is not a unit value");
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    assert!(
        text.contains("at `choice.nothing`: expected an object"),
        "{text}"
    );
    Ok(())
}

#[tokio::test]
async fn modeled_errors_are_typed() -> TestResult {
    let recorder = Recorder::replying(
        503,
        r#"{"__type":"example.kitchen#Oops","message":"try later","reason":"busy"}"#,
    );
    let input = PutEverythingInput::builder().r#type("t").build()?;
    let error = recorder
        .client()
        .call_put_everything(input)
        .await
        .expect_err("the service failed");
    match error.as_service_error() {
        Some(PutEverythingError::Oops(oops)) => {
            assert_eq!(oops.reason.as_deref(), Some("busy"));
            assert_eq!(oops.to_string(), "Oops: try later");
        }
        other => panic!("expected Oops, got {other:?}"),
    }
    assert!(error
        .as_service_error()
        .is_some_and(PutEverythingError::is_retryable));

    // `Error` is a service-wide error, so every operation can return it.
    let recorder = Recorder::replying(
        400,
        r#"{"__type":"example.kitchen#Error","message":"bad id"}"#,
    );
    let error = recorder
        .client()
        .get_item()
        .id("x")
        .send()
        .await
        .expect_err("the service refused");
    match error.as_service_error() {
        Some(GetItemError::Error(e)) => assert_eq!(e.to_string(), "Error: bad id"),
        other => panic!("expected Error, got {other:?}"),
    }
    Ok(())
}

#[tokio::test]
async fn keyword_and_deprecated_operations_can_be_called() -> TestResult {
    let recorder = Recorder::replying(200, "{}");
    let client = recorder.client();
    client.r#match().send().await?;
    #[allow(deprecated)]
    client.old_thing().note("n").send().await?;
    let sent: Vec<(String, String)> = recorder
        .requests()
        .into_iter()
        .map(|r| (r.target, r.body))
        .collect();
    assert_eq!(
        sent,
        [
            ("KitchenSink.Match".to_string(), "{}".to_string()),
            (
                "KitchenSink.OldThing".to_string(),
                r#"{"note":"n"}"#.to_string()
            )
        ]
    );
    Ok(())
}

#[tokio::test]
async fn host_prefixes_put_the_label_in_front_of_the_host_after_checking_it() -> TestResult {
    let recorder = Recorder::replying(200, "{}");
    recorder.client().read_shard().shard("eu-7").note("n").send().await?;
    let sent = recorder.only();
    assert_eq!(sent.uri, "https://eu-7.data-kitchen.us-east-1.amazonaws.com/");
    assert_eq!(sent.host, "eu-7.data-kitchen.us-east-1.amazonaws.com");
    assert_eq!(sent.body, r#"{"shard":"eu-7","note":"n"}"#, "the label is also sent in the body");

    // A value that would change the host beyond the label is refused before anything is sent,
    // even when constraints are left to the service.
    let recorder = Recorder::replying(200, "{}");
    let lenient = sdk::client::Config::builder().validation(sdk::client::ValidationMode::RequiredOnly);
    for bad in ["evil.com/x", "a.b", "", "-x", "under_score"] {
        let error = recorder.client_with(lenient.clone()).read_shard().shard(bad).send().await.unwrap_err();
        let sdk::error::SdkError::Validation(error) = error else { panic!("{bad:?}: {error:?}") };
        assert_eq!(error.violations().len(), 1, "{bad:?}");
        assert_eq!(error.violations()[0].path(), "shard");
        assert_eq!(error.violations()[0].kind(), &sdk::error::ViolationKind::HostLabel);
    }
    assert!(recorder.requests().is_empty());

    // With host prefixes turned off (for endpoints that do not serve them), the host is the
    // endpoint's own and the label is not checked.
    let recorder = Recorder::replying(200, "{}");
    let plain = sdk::client::Config::builder().disable_host_prefix_injection(true);
    recorder.client_with(plain).read_shard().shard("a.b").send().await?;
    assert_eq!(recorder.only().host, "kitchen.us-east-1.amazonaws.com");
    Ok(())
}

#[test]
fn sensitive_values_stay_out_of_debug_output() -> TestResult {
    let input = everything()?;
    let debug = format!("{input:?}");
    assert!(
        !debug.contains("hunter2") && !debug.contains("p4ss"),
        "{debug}"
    );
    assert!(
        debug.contains(r#"secret: "*** Sensitive Data Redacted ***""#),
        "{debug}"
    );
    assert!(debug.contains("Blob(3 bytes)"), "{debug}");
    let login = input.login.expect("a login");
    assert_eq!(
        format!("{login:?}"),
        "Login { *** Sensitive Data Redacted *** }"
    );
    Ok(())
}

#[test]
fn enums_keep_model_values_and_unknown_ones() {
    assert_eq!(Color::values(), ["red", "green", "unknown", "blue"]);
    assert_eq!(Color::from("unknown"), Color::UnknownValue);
    assert_eq!(Color::from("mauve"), Color::Unknown("mauve".into()));
    assert_eq!(Level::from(10), Level::High);
    #[allow(deprecated)] // `MEDIUM` is deprecated in the model; it is still read.
    let medium = Level::Medium;
    assert_eq!(
        (Level::from(5), Level::values()),
        (medium, &[1_i64, 5, 10][..])
    );
    assert_eq!(types::Vec::values(), [1, 2]);
    assert_eq!(types::Option::from("some").as_str(), "some");
}

#[tokio::test]
async fn enum_keyed_maps_are_written_read_and_checked() -> TestResult {
    // Keys the crate does not know are kept on the way in, as enum values are.
    let reply = r#"{"colorCounts":{"red":1,"mauve":2},"sparseColorNotes":{"green":null,"red":"r"}}"#;
    let recorder = Recorder::replying(200, reply);
    let input = PutEverythingInput::builder()
        .r#type("t")
        .color_counts(BTreeMap::from([(Color::Green, 3), (Color::Red, 4)]))
        .sparse_color_notes(BTreeMap::from([(Color::UnknownValue, None)]))
        .build()?;
    input.validate()?;
    let output = recorder.client().call_put_everything(input).await?;
    let body = recorder.only().body;
    assert!(
        body.contains(r#""colorCounts":{"red":4,"green":3},"sparseColorNotes":{"unknown":null}"#),
        "{body}"
    );
    assert_eq!(
        output.color_counts,
        Some(BTreeMap::from([
            (Color::Red, 1),
            (Color::Unknown("mauve".into()), 2)
        ]))
    );
    assert_eq!(
        output.sparse_color_notes,
        Some(BTreeMap::from([
            (Color::Red, Some("r".into())),
            (Color::Green, None)
        ]))
    );

    // Sending a key that is not one of the enum's values is a violation at that key.
    let input = PutEverythingInput::builder()
        .r#type("t")
        .color_counts(BTreeMap::from([(Color::Unknown("mauve".into()), 1)]))
        .sparse_color_notes(BTreeMap::from([(Color::Unknown("teal".into()), None)]))
        .build()?;
    let error = input.validate().expect_err("unknown keys");
    let paths: Vec<&str> = error.violations().iter().map(|v| v.path()).collect();
    assert_eq!(
        paths,
        [r#"colorCounts["mauve"]"#, r#"sparseColorNotes["teal"]"#]
    );
    Ok(())
}

#[test]
fn violations_never_show_a_sensitive_value_or_map_key() -> TestResult {
    let input = PutEverythingInput::builder()
        .r#type("t")
        .pin(98765)
        .secret_limits(BTreeMap::from([("hunter2-key".to_string(), 250)]))
        .build()?;
    let error = input.validate().expect_err("out of range");
    let text = error.to_string();
    assert!(text.contains("pin: value must be between 0 and 9999"), "{text}");
    assert!(text.contains("secretLimits[*** Sensitive Data Redacted ***]: value must be between 0 and 100, but is 250"), "{text}");
    assert!(!text.contains("98765"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(!format!("{error:?}").contains("98765"), "{error:?}");
    Ok(())
}

#[tokio::test]
async fn response_doubles_keep_every_digit() -> TestResult {
    // 17 significant digits: the nearest f64, which a parser without exact rounding misses by one unit.
    let recorder = Recorder::replying(200, r#"{"double":123456789.12345679}"#);
    let input = PutEverythingInput::builder().r#type("t").build()?;
    let output = recorder.client().call_put_everything(input).await?;
    assert_eq!(
        output.double.map(f64::to_bits),
        Some(123456789.12345679_f64.to_bits())
    );
    assert_ne!(123456789.12345679_f64, 123456789.1234568_f64);
    Ok(())
}

/// The command-line tool, run as a process against a one-request HTTP server on 127.0.0.1.
#[cfg(feature = "cli")]
mod cli {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::process::{Command, Output};

    /// Runs the tool with `args` (region and credentials from a clean environment, no AWS files);
    /// when `reply` is set, a server answers one request with it and the request body is returned.
    fn run(args: &[&str], reply: Option<&str>) -> (Output, Option<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let endpoint = format!("http://{}", listener.local_addr().expect("local address"));
        let server = reply.map(|reply| {
            let reply = reply.to_owned();
            std::thread::spawn(move || {
                let (stream, _) = listener.accept().expect("a connection");
                let mut reader = BufReader::new(stream);
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).expect("a header line");
                    let line = line.trim_end().to_ascii_lowercase();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("content-length:") {
                        length = value.trim().parse().expect("a length");
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).expect("the body");
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                    reply.len()
                );
                reader.get_mut().write_all(response.as_bytes()).expect("answer");
                String::from_utf8(body).expect("a UTF-8 body")
            })
        });
        let output = Command::new(env!("CARGO_BIN_EXE_kitchen-sink"))
            .args(args)
            .args(["--endpoint-url", &endpoint])
            .env_clear()
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
            .env("AWS_CONFIG_FILE", "/nonexistent/config")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
            .output()
            .expect("run the tool");
        let body = server.map(|server| server.join().expect("the server thread"));
        (output, body)
    }

    #[test]
    fn enum_keyed_maps_go_through_options_and_input_files() {
        let input = r#"{"type":"t","colorCounts":{"green":2,"red":1},"sparseColorNotes":{"blue":null}}"#;
        let reply = r#"{"colorCounts":{"mauve":7},"sparseColorNotes":{"green":null}}"#;
        let (output, body) = run(&["put-everything", "--cli-input-json", input], Some(reply));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        let body = body.expect("a request");
        assert!(
            body.contains(r#""colorCounts":{"red":1,"green":2},"sparseColorNotes":{"blue":null}"#),
            "{body}"
        );
        let printed: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("the output is JSON");
        // `count` has a default, which the output holds (and prints) though the reply left it out.
        assert_eq!(
            printed,
            serde_json::json!({"colorCounts": {"mauve": 7}, "count": 0, "sparseColorNotes": {"green": null}})
        );

        // The shorthand option form reaches the same map.
        let (output, body) = run(
            &["put-everything", "--type", "t", "--color-counts", "blue=3"],
            Some("{}"),
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let body = body.expect("a request");
        assert!(body.contains(r#""colorCounts":{"blue":3}"#), "{body}");

        // A key outside the enum is an invalid parameter: exit 252, the key named, nothing sent.
        let (output, _) = run(
            &["put-everything", "--type", "t", "--color-counts", "mauve=1"],
            None,
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(252), "{stderr}");
        assert!(stderr.contains(r#"colorCounts["mauve"]"#), "{stderr}");
    }
}

/// `UploadRecords` carries `smithy.api#requestCompression` (gzip).
mod request_compression {
    use std::io::Read;
    use std::time::{Duration, SystemTime};

    use super::common::Recorder;
    use super::sdk;
    use super::TestResult;
    use sdk::client::Credentials;
    use sdk::runtime::sigv4::{Signer, SigningParams};

    /// The JSON body of an `UploadRecords` call with `count` records of 50 bytes each.
    fn upload(count: usize) -> (Vec<String>, String) {
        let records: Vec<String> = (0..count).map(|i| format!("{i:04}{}", "x".repeat(46))).collect();
        let json = serde_json::json!({ "records": records }).to_string();
        (records, json)
    }

    #[tokio::test]
    async fn a_large_body_is_sent_gzipped_and_signed_as_sent() -> TestResult {
        let (records, json) = upload(300);
        assert!(json.len() >= 10_240, "above the default minimum");
        let signed_at = SystemTime::UNIX_EPOCH + Duration::from_secs(super::SECS as u64);
        let recorder = Recorder::replying(200, "{}");
        let client = sdk::Client::from_conf(recorder.config().time_source(move || signed_at))?;
        client.upload_records().records(records).send().await?;
        let request = recorder.only();
        assert_eq!(request.content_encoding.as_deref(), Some("gzip"));
        assert!(request.bytes.len() < json.len() / 4, "{} bytes", request.bytes.len());
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&request.bytes[..]).read_to_string(&mut unzipped)?;
        assert_eq!(unzipped, json);
        assert_eq!(request.headers["content-length"], request.bytes.len().to_string().as_str());

        // The signature is the one for the compressed bytes and the `content-encoding` header.
        let mut headers = request.headers.clone();
        let sent_signature = headers.remove("authorization").expect("signed");
        headers.remove("x-amz-date");
        let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
        let params = SigningParams { credentials: &credentials, region: "us-east-1", service: "kitchen", time: signed_at };
        Signer::new().sign(&http::Method::POST, &request.uri, &mut headers, &request.bytes, &params)?;
        assert_eq!(headers["authorization"], sent_signature);
        assert!(sent_signature.to_str()?.contains("content-encoding"), "{sent_signature:?}");
        Ok(())
    }

    #[tokio::test]
    async fn a_body_below_the_minimum_or_with_compression_off_is_sent_as_it_is() -> TestResult {
        let (records, json) = upload(10);
        let recorder = Recorder::replying(200, "{}");
        recorder.client().upload_records().records(records.clone()).send().await?;
        // Lowered to exactly this body's size, the same call is compressed.
        let at_size = u32::try_from(json.len())?;
        let client = sdk::Client::from_conf(recorder.config().request_min_compression_size_bytes(at_size))?;
        client.upload_records().records(records.clone()).send().await?;
        let client = sdk::Client::from_conf(recorder.config().request_min_compression_size_bytes(at_size + 1))?;
        client.upload_records().records(records.clone()).send().await?;
        let (big, big_json) = upload(300);
        let off = recorder.config().disable_request_compression(true);
        sdk::Client::from_conf(off)?.upload_records().records(big).send().await?;

        let sent = recorder.requests();
        let encodings: Vec<Option<&str>> = sent.iter().map(|r| r.content_encoding.as_deref()).collect();
        assert_eq!(encodings, [None, Some("gzip"), None, None]);
        assert_eq!((sent[0].body.as_str(), sent[2].body.as_str()), (json.as_str(), json.as_str()));
        assert_eq!(sent[3].body, big_json);

        // Other operations never compress, whatever their size.
        let recorder = Recorder::replying(200, "{}");
        let (names, _) = upload(300);
        let input = super::PutEverythingInput::builder().r#type("t").names(names).build()?;
        recorder.client().call_put_everything(input).await?;
        let request = recorder.only();
        assert!(request.body.len() > 10_240 && request.content_encoding.is_none());
        Ok(())
    }

    /// A configuration read from these variables (and no profile file but `config_file`'s), with the
    /// recorder's region, credentials and transport.
    fn from_environment(recorder: &Recorder, pairs: &[(&str, &str)], config_file: Option<&str>) -> sdk::Client {
        let mut all = vec![
            ("AWS_CONFIG_FILE", config_file.unwrap_or("/nonexistent/config")),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ];
        all.extend_from_slice(pairs);
        let env = sdk::runtime::credentials::Environment::from_pairs(all);
        recorder.client_with(sdk::client::Config::from_environment(&sdk::client::SERVICE, env))
    }

    /// As in the AWS SDK for Rust: the client is built and the operations that do not compress work;
    /// each call of one that does fails before sending, naming the setting.
    #[tokio::test]
    async fn a_minimum_above_the_limit_fails_only_the_calls_that_compress() -> TestResult {
        let recorder = Recorder::replying(200, "{}");
        let from_variable =
            from_environment(&recorder, &[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "10485761")], None);
        let from_config = sdk::Client::from_conf(recorder.config().request_min_compression_size_bytes(10_485_761))?;
        for (client, named) in [
            (&from_variable, "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: 10485761 is above"),
            (&from_config, "Config::request_min_compression_size_bytes: 10485761 is above"),
        ] {
            let error = client.upload_records().records(upload(1).0).send().await.expect_err("out of range");
            assert!(matches!(error, sdk::error::SdkError::Config(_)), "{error:?}");
            assert!(error.to_string().contains(named), "{error}");
            assert!(recorder.requests().is_empty(), "nothing is sent");
        }
        let input = super::PutEverythingInput::builder().r#type("t").build()?;
        from_variable.call_put_everything(input).await?;
        assert_eq!(recorder.only().target, "KitchenSink.PutEverything");
        Ok(())
    }

    /// As in aws-config: a value that does not parse is ignored (with a `tracing` warning, which
    /// the runtime module's tests check) and the setting keeps its default.
    #[tokio::test]
    async fn settings_that_do_not_parse_are_ignored_and_the_defaults_apply() -> TestResult {
        let dir = std::env::temp_dir().join(format!("kitchen-compression-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let config_file = dir.join("config");
        std::fs::write(&config_file, "[default]\nrequest_min_compression_size_bytes = lots\n")?;
        let recorder = Recorder::replying(200, "{}");
        let variables = [("AWS_DISABLE_REQUEST_COMPRESSION", "yes"), ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "ten")];
        let clients = [
            from_environment(&recorder, &variables, None),
            from_environment(&recorder, &[], config_file.to_str()),
        ];
        for client in &clients {
            // Compression stays on, from the default minimum of 10240 bytes.
            client.upload_records().records(upload(300).0).send().await?;
            client.upload_records().records(upload(10).0).send().await?;
        }
        let encodings: Vec<Option<String>> = recorder.requests().into_iter().map(|r| r.content_encoding).collect();
        let gzip = Some("gzip".to_owned());
        assert_eq!(encodings, [gzip.clone(), None, gzip, None]);

        // A valid profile value does apply: a minimum of 0 compresses even the small body.
        std::fs::write(&config_file, "[default]\nrequest_min_compression_size_bytes = 0\n")?;
        let recorder = Recorder::replying(200, "{}");
        let client = from_environment(&recorder, &[], config_file.to_str());
        client.upload_records().records(upload(10).0).send().await?;
        assert_eq!(recorder.only().content_encoding.as_deref(), Some("gzip"));
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }
}

/// Members with `@default`, by Smithy 2.0's rules: what the caller set is sent even when it equals
/// the default, an input's own members the caller left out are left to the service, nested members
/// are filled in, and a response's missing members get their defaults.
mod defaults {
    use super::common::Recorder;
    use super::sdk;
    use super::TestResult;
    use sdk::types::{Choice, Color, Corrected, Level, OptionalSettings, Settings};
    use sdk::{Blob, DateTime};

    /// Every member of `Settings` at its default, as sent.
    const SETTINGS_DEFAULTS: &str = concat!(
        r#"{"label":"none","empty":"","enabled":true,"off":false,"tiny":7,"small":-3,"count":42,"zero":0,"#,
        r#""big":5000000000,"ratio":0.5,"scale":2.25,"bigNumber":12345678901234567890,"since":1577836800,"#,
        r#""epoch":0,"seed":"c2VlZA==","noBytes":"","options":{"mode":["auto",1,2.5]},"note":"n/a","#,
        r#""flag":false,"names":[],"colorCounts":{},"color":"green","level":10}"#,
    );

    #[tokio::test]
    async fn nested_defaults_are_filled_in_and_a_required_member_with_a_default_is_always_sent(
    ) -> TestResult {
        let recorder = Recorder::replying(200, "{}");
        let settings = Settings::builder().build()?;
        recorder.client().use_defaults().settings(settings).send().await?;
        // `mode` and `retries` were not set: the service applies its defaults. `confirm` is
        // required with a default, so it is sent; `nothing`'s default is `null`, so it has none.
        let expected = format!(r#"{{"confirm":false,"settings":{SETTINGS_DEFAULTS}}}"#);
        assert_eq!(recorder.only().body, expected);
        Ok(())
    }

    #[tokio::test]
    async fn values_the_caller_set_are_sent_even_when_they_equal_the_default() -> TestResult {
        let recorder = Recorder::replying(200, "{}");
        recorder.client().use_defaults().mode("fast").retries(3).confirm(false).send().await?;
        assert_eq!(recorder.only().body, r#"{"mode":"fast","retries":3,"confirm":false}"#);

        let recorder = Recorder::replying(200, "{}");
        let settings = Settings::builder().label("none").enabled(false).count(42).build()?;
        assert_eq!((settings.label.as_str(), settings.enabled, settings.tiny), ("none", false, 7));
        recorder.client().use_defaults().confirm(true).settings(settings).send().await?;
        let body = recorder.only().body;
        assert!(body.starts_with(r#"{"confirm":true,"settings":{"label":"none","empty":"","enabled":false,"#), "{body}");
        Ok(())
    }

    #[tokio::test]
    async fn client_optional_members_ignore_their_default() -> TestResult {
        let recorder = Recorder::replying(200, "{}");
        let optional = OptionalSettings::builder().build()?;
        assert_eq!((optional.limit, optional.name.as_str()), (None, "unnamed"));
        recorder.client().use_defaults().optional_settings(optional).send().await?;
        assert_eq!(recorder.only().body, r#"{"confirm":false,"optionalSettings":{"name":"unnamed"}}"#);

        let recorder = Recorder::replying(200, "{}");
        let optional = OptionalSettings::builder().limit(5).build()?;
        recorder.client().use_defaults().optional_settings(optional).send().await?;
        assert_eq!(
            recorder.only().body,
            r#"{"confirm":false,"optionalSettings":{"limit":5,"name":"unnamed"}}"#
        );
        Ok(())
    }

    #[tokio::test]
    async fn missing_members_of_a_response_get_their_defaults_and_present_ones_are_kept(
    ) -> TestResult {
        let recorder = Recorder::replying(200, r#"{"settings":{},"corrected":{}}"#);
        let output = recorder.client().use_defaults().send().await?;
        assert_eq!(output.mode, "fast");
        let settings = output.settings.expect("sent");
        assert_eq!(settings, Settings::builder().build()?);
        assert_eq!(settings.since, DateTime::from_secs(1_577_836_800));
        assert_eq!(settings.seed, Blob::from(*b"seed"));
        assert_eq!(settings.options, serde_json::json!({"mode": ["auto", 1, 2.5]}));
        assert_eq!((settings.color, settings.level), (Color::Green, Level::High));
        assert_eq!(settings.nothing, None);

        let reply = r#"{"mode":"slow","settings":{"label":"x","seed":"AQ==","nothing":"y","level":1},"corrected":{}}"#;
        let recorder = Recorder::replying(200, reply);
        let output = recorder.client().use_defaults().send().await?;
        let settings = output.settings.expect("sent");
        assert_eq!((output.mode.as_str(), settings.label.as_str()), ("slow", "x"));
        assert_eq!((settings.seed, settings.level), (Blob::from([1_u8]), Level::Low));
        assert_eq!(settings.nothing, Some(serde_json::json!("y")));
        Ok(())
    }

    /// Smithy's client error correction: a response that leaves out required members is read, with
    /// each missing member at its zero value, its default, or (a structure) read from `{}`.
    #[tokio::test]
    async fn a_response_missing_required_members_is_corrected_not_refused() -> TestResult {
        let recorder = Recorder::replying(200, "{}");
        let output = recorder.client().use_defaults().send().await?;
        let corrected: Corrected = output.corrected;
        assert_eq!(
            (corrected.name.as_str(), corrected.active, corrected.count, corrected.ratio),
            ("", false, 0, 0.0)
        );
        assert_eq!(corrected.at, DateTime::from_secs(0));
        assert!(corrected.data.is_empty());
        assert_eq!(corrected.doc, serde_json::Value::Null);
        assert!(corrected.names.is_empty() && corrected.color_counts.is_empty());
        assert_eq!(corrected.color, Color::Unknown(String::new()));
        assert_eq!(corrected.level, Level::Unknown(0));
        assert_eq!(corrected.choice, Choice::Unknown(String::new()));
        assert_eq!((corrected.item.id.as_str(), corrected.item.size), ("", None));
        assert_eq!(corrected.settings, Settings::builder().build()?);
        assert_eq!(corrected.label, "unlabelled", "a default wins over the zero value");

        // Members that are there are read as usual.
        let reply = r#"{"corrected":{"name":"n","count":2,"item":{"id":"i"},"choice":{"text":"t"}}}"#;
        let recorder = Recorder::replying(200, reply);
        let corrected = recorder.client().use_defaults().send().await?.corrected;
        assert_eq!((corrected.name.as_str(), corrected.count, corrected.item.id.as_str()), ("n", 2, "i"));
        assert_eq!(corrected.choice, Choice::Text("t".into()));
        Ok(())
    }

    /// The service is `awsQueryCompatible`: every request says so, and an error's code is the one
    /// in `x-amzn-query-error` when the service sends it.
    #[tokio::test]
    async fn query_compatible_requests_and_error_codes() -> TestResult {
        let body = r#"{"__type":"example.kitchen#Trouble","message":"m"}"#;
        let recorder = Recorder::replying(400, body).with_header("x-amzn-query-error", "KitchenTrouble;Sender");
        let error = recorder.client().use_defaults().send().await.expect_err("a 400");
        assert_eq!(recorder.only().headers["x-amzn-query-mode"], "true");
        let sdk::error::SdkError::Service(error) = error else { panic!("{error:?}") };
        assert_eq!((error.meta().code(), error.meta().query_fault()), (Some("KitchenTrouble"), Some("Sender")));
        let sdk::error::UseDefaultsError::Trouble(trouble) = error.err() else { panic!("{error:?}") };
        // An error is corrected too: `reason` is required but missing.
        assert_eq!((trouble.message.as_deref(), trouble.reason.as_str()), (Some("m"), ""));
        assert_eq!(error.err().code(), Some("KitchenTrouble"));

        // Without the header, the code is the body's.
        let recorder = Recorder::replying(400, body);
        let error = recorder.client().use_defaults().send().await.expect_err("a 400");
        let sdk::error::SdkError::Service(error) = error else { panic!("{error:?}") };
        assert_eq!((error.meta().code(), error.meta().query_fault()), (Some("Trouble"), None));
        assert!(matches!(error.err(), sdk::error::UseDefaultsError::Trouble(_)));
        Ok(())
    }
}

// Paginators: `ListPagedThings` takes its tokens and page size from the service's `@paginated`
// defaults, `ListNestedPages` has nested token and item paths, `TailEvents` names no items and
// repeats its cursor once there is nothing newer.

/// The JSON bodies of the requests sent so far.
fn bodies(recorder: &Recorder) -> Vec<serde_json::Value> {
    recorder
        .requests()
        .iter()
        .map(|r| serde_json::from_str(&r.body).expect("a JSON body"))
        .collect()
}

#[tokio::test]
async fn pages_follow_the_token_until_a_page_has_none() -> TestResult {
    use futures_util::StreamExt;
    let recorder = Recorder::scripted(&[
        (200, r#"{"things":[{"name":"a"},{"name":"b"}],"nextToken":"t1","scanned":5}"#),
        (200, r#"{"things":[],"nextToken":"t2"}"#),
        (200, r#"{"things":[{"name":"c","size":3}]}"#),
    ]);
    let pages: Vec<_> = recorder
        .client()
        .list_paged_things()
        .prefix("p")
        .into_paginator()
        .page_size(2)
        .send()
        .collect()
        .await;
    let pages = pages.into_iter().collect::<Result<Vec<_>, _>>()?;
    let names: Vec<Vec<&str>> = pages
        .iter()
        .map(|p| p.things.iter().flatten().map(|t| t.name.as_str()).collect())
        .collect();
    assert_eq!(names, vec![vec!["a", "b"], vec![], vec!["c"]]);
    assert_eq!(pages[0].scanned, Some(5));
    // Each request keeps the input and page size, and carries the token of the page before.
    assert_eq!(
        bodies(&recorder),
        vec![
            serde_json::json!({"prefix": "p", "maxResults": 2}),
            serde_json::json!({"prefix": "p", "nextToken": "t1", "maxResults": 2}),
            serde_json::json!({"prefix": "p", "nextToken": "t2", "maxResults": 2}),
        ]
    );
    Ok(())
}

#[tokio::test]
async fn items_flatten_the_pages_and_an_empty_token_ends_them() -> TestResult {
    let recorder = Recorder::scripted(&[
        (200, r#"{"things":[{"name":"a"}],"nextToken":"t1"}"#),
        (200, r#"{"things":[{"name":"b"},{"name":"c","size":7}],"nextToken":""}"#),
    ]);
    let things = recorder
        .client()
        .list_paged_things()
        .into_paginator()
        .items()
        .try_collect()
        .await?;
    let names: Vec<&str> = things.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(things[2].size, Some(7));
    assert_eq!(recorder.requests().len(), 2);
    Ok(())
}

#[tokio::test]
async fn an_error_on_page_two_is_yielded_after_page_one_and_ends_the_stream() -> TestResult {
    let recorder = Recorder::scripted(&[
        (200, r#"{"things":[{"name":"a"}],"nextToken":"t1"}"#),
        (400, r#"{"__type":"example.kitchen#Error","message":"token expired"}"#),
        (200, r#"{"things":[{"name":"never read"}]}"#),
    ]);
    let mut items = recorder.client().list_paged_things().into_paginator().items();
    assert_eq!(items.next().await.transpose()?.map(|t| t.name), Some("a".to_owned()));
    let error = items.next().await.expect("an item").expect_err("page two failed");
    match error.as_service_error() {
        Some(sdk::error::ListPagedThingsError::Error(e)) => assert_eq!(e.to_string(), "Error: token expired"),
        other => panic!("expected Error, got {other:?}"),
    }
    assert!(items.next().await.is_none(), "an error ends the stream");
    assert_eq!(recorder.requests().len(), 2, "nothing is sent after the error");
    Ok(())
}

#[tokio::test]
async fn an_invalid_page_size_fails_before_anything_is_sent() {
    let recorder = Recorder::scripted(&[]);
    let mut pages = recorder.client().list_paged_things().into_paginator().page_size(0).send();
    let error = pages.next().await.expect("one item").expect_err("0 is below the range");
    assert!(error.to_string().contains("maxResults"), "{error}");
    assert!(pages.next().await.is_none());
    assert!(recorder.requests().is_empty());
}

#[tokio::test]
async fn nested_token_and_item_paths_are_followed() -> TestResult {
    let recorder = Recorder::scripted(&[
        (200, r#"{"result":{"nextMarker":"m1","page":{"entries":["a","b"]}}}"#),
        // A page without its optional `page.entries` adds no items.
        (200, r#"{"result":{"nextMarker":"m2","page":{}}}"#),
        (200, r#"{"result":{"page":{"entries":["c"]}}}"#),
    ]);
    let entries = recorder
        .client()
        .list_nested_pages()
        .into_paginator()
        .page_size(10)
        .items()
        .try_collect()
        .await?;
    assert_eq!(entries, ["a", "b", "c"]);
    assert_eq!(
        bodies(&recorder),
        vec![
            serde_json::json!({"limit": 10}),
            serde_json::json!({"marker": "m1", "limit": 10}),
            serde_json::json!({"marker": "m2", "limit": 10}),
        ]
    );
    Ok(())
}

#[tokio::test]
async fn a_repeated_token_ends_the_pages_unless_the_check_is_off() -> TestResult {
    let script: &[(u16, &str)] = &[
        (200, r#"{"events":["e1"],"nextCursor":"c1"}"#),
        (200, r#"{"events":["e2"],"nextCursor":"c1"}"#),
        (200, r#"{"events":[],"nextCursor":"c1"}"#),
        (200, r#"{"events":["e3"],"nextCursor":""}"#),
    ];
    let recorder = Recorder::scripted(script);
    let pages = recorder.client().tail_events().into_paginator().send().try_collect().await?;
    assert_eq!(pages.len(), 2, "the page that repeated `c1` is the last");
    assert_eq!(recorder.requests().len(), 2);

    let recorder = Recorder::scripted(script);
    let pages = recorder
        .client()
        .tail_events()
        .into_paginator()
        .stop_on_duplicate_token(false)
        .send()
        .try_collect()
        .await?;
    let events: Vec<String> = pages.into_iter().flat_map(|p| p.events.unwrap_or_default()).collect();
    assert_eq!(events, ["e1", "e2", "e3"]);
    let cursors: Vec<serde_json::Value> = bodies(&recorder).into_iter().map(|b| b["cursor"].clone()).collect();
    assert_eq!(cursors, [serde_json::Value::Null, "c1".into(), "c1".into(), "c1".into()]);
    Ok(())
}

// The command-line tool paginates as the AWS CLI does. Each expected output below is what botocore's
// paginator (`build_full_result`, which the AWS CLI prints) gives for the same pages and settings.

const CLI: &str = env!("CARGO_BIN_EXE_kitchen-sink");

/// Three pages of things, by the token each is requested with; page one has a member that is not
/// paged (`scanned`).
fn things_pages(body: &serde_json::Value) -> (u16, String) {
    let page = match body["nextToken"].as_str() {
        None => r#"{"things":[{"name":"a"},{"name":"b","size":2}],"nextToken":"t1","scanned":5}"#,
        Some("t1") => r#"{"things":[{"name":"c"},{"name":"d"}],"nextToken":"t2"}"#,
        Some("t2") => r#"{"things":[{"name":"e"}]}"#,
        Some(_) => return (400, r#"{"__type":"example.kitchen#Error","message":"token expired"}"#.into()),
    };
    (200, page.to_owned())
}

#[test]
fn the_cli_follows_the_pages_and_prints_only_the_items() {
    let server = common::PageServer::start(things_pages);
    let (code, stdout, stderr) = server.run_cli(CLI, &["list-paged-things"]);
    assert_eq!(code, 0, "{stderr}");
    let expected = r#"{
    "things": [
        {
            "name": "a"
        },
        {
            "name": "b",
            "size": 2
        },
        {
            "name": "c"
        },
        {
            "name": "d"
        },
        {
            "name": "e"
        }
    ]
}
"#;
    assert_eq!(stdout, expected);
    let tokens: Vec<serde_json::Value> = server.bodies().iter().map(|b| b["nextToken"].clone()).collect();
    assert_eq!(tokens, [serde_json::Value::Null, "t1".into(), "t2".into()]);
}

#[test]
fn the_cli_stops_at_max_items_with_a_token_that_resumes_inside_the_page() {
    let server = common::PageServer::start(things_pages);
    let (code, stdout, stderr) =
        server.run_cli(CLI, &["list-paged-things", "--max-items", "3", "--page-size", "2"]);
    assert_eq!(code, 0, "{stderr}");
    let token = "eyJuZXh0VG9rZW4iOiAidDEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==";
    let expected = format!(
        r#"{{
    "things": [
        {{
            "name": "a"
        }},
        {{
            "name": "b",
            "size": 2
        }},
        {{
            "name": "c"
        }}
    ],
    "NextToken": "{token}"
}}
"#
    );
    assert_eq!(stdout, expected);
    assert_eq!(
        server.bodies(),
        [
            serde_json::json!({"maxResults": 2}),
            serde_json::json!({"nextToken": "t1", "maxResults": 2}),
        ]
    );

    let server = common::PageServer::start(things_pages);
    let (code, stdout, stderr) = server.run_cli(
        CLI,
        &["list-paged-things", "--max-items", "3", "--starting-token", token],
    );
    assert_eq!(code, 0, "{stderr}");
    let expected = r#"{
    "things": [
        {
            "name": "d"
        },
        {
            "name": "e"
        }
    ]
}
"#;
    assert_eq!(stdout, expected, "the item printed before is skipped");
    let tokens: Vec<serde_json::Value> = server.bodies().iter().map(|b| b["nextToken"].clone()).collect();
    assert_eq!(tokens, ["t1", "t2"]);
}

#[test]
fn the_cli_prints_one_whole_page_without_pagination() {
    let server = common::PageServer::start(things_pages);
    let whole_first_page = r#"{
    "things": [
        {
            "name": "a"
        },
        {
            "name": "b",
            "size": 2
        }
    ],
    "nextToken": "t1",
    "scanned": 5
}
"#;
    let (code, stdout, _) = server.run_cli(CLI, &["list-paged-things", "--no-paginate"]);
    assert_eq!((code, stdout.as_str()), (0, whole_first_page));
    // Setting the token member by hand turns pagination off too, as in the AWS CLI.
    let (code, stdout, _) = server.run_cli(CLI, &["list-paged-things", "--next-token", "t2"]);
    assert_eq!((code, stdout.as_str()), (0, "{\n    \"things\": [\n        {\n            \"name\": \"e\"\n        }\n    ]\n}\n"));
    assert_eq!(server.bodies().len(), 2, "one call each");
    let (code, stdout, stderr) = server.run_cli(CLI, &["list-paged-things", "--no-paginate", "--max-items", "1"]);
    assert_eq!((code, stdout.as_str()), (255, ""));
    assert!(
        stderr.contains("Cannot specify --no-paginate along with pagination arguments: --max-items"),
        "{stderr}"
    );
    assert_eq!(server.bodies().len(), 2, "nothing sent");
}

#[test]
fn a_page_size_out_of_range_is_reported_under_the_option_that_set_it() {
    let server = common::PageServer::start(things_pages);
    let (code, stdout, stderr) = server.run_cli(CLI, &["list-paged-things", "--page-size", "0"]);
    assert_eq!((code, stdout.as_str()), (252, ""), "{stderr}");
    assert!(stderr.contains("\n  --page-size: maxResults: "), "{stderr}");
    assert!(!stderr.contains("--max-results"), "{stderr}");
    // Set through the member's own option, the member's option is named.
    let (code, _, stderr) = server.run_cli(CLI, &["list-paged-things", "--max-results", "101"]);
    assert_eq!(code, 252, "{stderr}");
    assert!(stderr.contains("\n  --max-results: maxResults: "), "{stderr}");
    assert!(server.bodies().is_empty(), "nothing sent");
}

#[test]
fn the_cli_aggregates_nested_items_under_their_path() {
    fn pages(body: &serde_json::Value) -> (u16, String) {
        let page = match body["marker"].as_str() {
            None => r#"{"result":{"nextMarker":"m1","page":{"entries":["a","b"]}}}"#,
            Some("m1") => r#"{"result":{"nextMarker":"m2","page":{}}}"#,
            _ => r#"{"result":{"page":{"entries":["c"]}}}"#,
        };
        (200, page.to_owned())
    }
    let server = common::PageServer::start(pages);
    let (code, stdout, stderr) = server.run_cli(CLI, &["list-nested-pages"]);
    assert_eq!(code, 0, "{stderr}");
    let expected = "{\n    \"result\": {\n        \"page\": {\n            \"entries\": [\n                \"a\",\n                \"b\",\n                \"c\"\n            ]\n        }\n    }\n}\n";
    assert_eq!(stdout, expected);
    let (code, stdout, _) = server.run_cli(CLI, &["list-nested-pages", "--max-items", "1"]);
    assert_eq!(code, 0);
    let expected = "{\n    \"result\": {\n        \"page\": {\n            \"entries\": [\n                \"a\"\n            ]\n        }\n    },\n    \"NextToken\": \"eyJtYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==\"\n}\n";
    assert_eq!(stdout, expected);
}

#[test]
fn an_error_on_a_later_page_fails_the_command_and_prints_no_items() {
    fn pages(body: &serde_json::Value) -> (u16, String) {
        match body["nextToken"].as_str() {
            None => (200, r#"{"things":[{"name":"a"}],"nextToken":"t1"}"#.to_owned()),
            _ => (400, r#"{"__type":"example.kitchen#Error","message":"token expired"}"#.to_owned()),
        }
    }
    let server = common::PageServer::start(pages);
    let (code, stdout, stderr) = server.run_cli(CLI, &["list-paged-things"]);
    assert_eq!((code, stdout.as_str()), (254, ""));
    assert!(
        stderr.contains("An error occurred (Error) when calling the ListPagedThings operation: token expired"),
        "{stderr}"
    );
    assert_eq!(server.bodies().len(), 2);
}

// With botocore's paginators file (`tests/models/botocore/kitchen_sink_paginators.json`, which
// `real_models.rs` gives the generator for this crate), the CLI aggregates what botocore's paginator
// names. The expected outputs are what botocore's `build_full_result()` returned for the same
// paginator entry and pages, printed as the AWS CLI prints it.

/// Three pages of a scan, by the token each is requested with: items, two counts and a string
/// (result keys), and `capacity` (a non-aggregate key) on the first two pages only.
fn scan_pages(body: &serde_json::Value) -> (u16, String) {
    let page = match body["nextToken"].as_str() {
        None => concat!(
            r#"{"things":[{"name":"a"},{"name":"b","size":2}],"count":2,"scannedCount":3,"trail":"ab","#,
            r#""capacity":{"units":0.5,"table":"things"},"nextToken":"t1"}"#
        ),
        Some("t1") => concat!(
            r#"{"things":[{"name":"c"}],"count":1,"scannedCount":4,"trail":"c","#,
            r#""capacity":{"units":1.5,"table":"things"},"nextToken":"t2"}"#
        ),
        Some("t2") => r#"{"things":[{"name":"d"},{"name":"e"}],"count":2,"scannedCount":2,"trail":"de"}"#,
        Some(_) => return (400, r#"{"__type":"example.kitchen#Error","message":"token expired"}"#.into()),
    };
    (200, page.to_owned())
}

#[test]
fn the_cli_sums_and_joins_every_result_key_and_keeps_the_first_pages_other_keys() {
    let server = common::PageServer::start(scan_pages);
    let (code, stdout, stderr) = server.run_cli(CLI, &["scan-things"]);
    assert_eq!(code, 0, "{stderr}");
    let expected = r#"{
    "things": [
        {
            "name": "a"
        },
        {
            "name": "b",
            "size": 2
        },
        {
            "name": "c"
        },
        {
            "name": "d"
        },
        {
            "name": "e"
        }
    ],
    "count": 5,
    "scannedCount": 9,
    "trail": "abcde",
    "capacity": {
        "units": 0.5,
        "table": "things"
    }
}
"#;
    assert_eq!(stdout, expected);
    assert_eq!(server.bodies().len(), 3);
}

#[test]
fn max_items_counts_the_first_result_key_and_the_resumed_page_keeps_only_its_counts() {
    let server = common::PageServer::start(scan_pages);
    let (code, stdout, stderr) = server.run_cli(CLI, &["scan-things", "--max-items", "4"]);
    assert_eq!(code, 0, "{stderr}");
    // `{"nextToken": "t2", "boto_truncate_amount": 1}`: page three, of which one item was printed.
    let token = "eyJuZXh0VG9rZW4iOiAidDIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==";
    // botocore cuts the items at four but adds the whole of page three's counts and string.
    let expected = format!(
        r#"{{
    "things": [
        {{
            "name": "a"
        }},
        {{
            "name": "b",
            "size": 2
        }},
        {{
            "name": "c"
        }},
        {{
            "name": "d"
        }}
    ],
    "count": 5,
    "scannedCount": 9,
    "trail": "abcde",
    "capacity": {{
        "units": 0.5,
        "table": "things"
    }},
    "NextToken": "{token}"
}}
"#
    );
    assert_eq!(stdout, expected);

    let (code, stdout, stderr) = server.run_cli(CLI, &["scan-things", "--starting-token", token]);
    assert_eq!(code, 0, "{stderr}");
    // The page resumed in keeps its counts, but not its string (printed before), and it has no
    // `capacity`, which the first page of this command decides.
    let expected = r#"{
    "things": [
        {
            "name": "e"
        }
    ],
    "count": 2,
    "scannedCount": 2,
    "trail": "",
    "capacity": null
}
"#;
    assert_eq!(stdout, expected);
    let tokens: Vec<serde_json::Value> = server.bodies().iter().map(|b| b["nextToken"].clone()).collect();
    assert_eq!(tokens, [serde_json::Value::Null, "t1".into(), "t2".into(), "t2".into()]);
}

#[test]
fn an_operation_whose_trait_names_no_items_pages_by_botocores_result_key() {
    fn pages(body: &serde_json::Value) -> (u16, String) {
        let page = match body["cursor"].as_str() {
            None => r#"{"events":["e1","e2"],"nextCursor":"c1"}"#,
            _ => r#"{"events":["e3"],"nextCursor":""}"#,
        };
        (200, page.to_owned())
    }
    let server = common::PageServer::start(pages);
    let (code, stdout, stderr) = server.run_cli(CLI, &["tail-events"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "{\n    \"events\": [\n        \"e1\",\n        \"e2\",\n        \"e3\"\n    ]\n}\n");
    assert_eq!(server.bodies().len(), 2);
}

// Waiters (`ViewWidget`'s `smithy.waiters#waitable`), on tokio's paused clock: the delays pass
// at once, and `tokio::time::Instant` shows when each poll was sent.

mod waiters {
    use std::time::Duration;

    use super::common::Recorder;
    use super::sdk;
    use sdk::error::{SdkError, ViewWidgetError};
    use sdk::waiters::WaiterError;
    use tokio::time::Instant;

    type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

    const NOT_FOUND: (u16, &str) = (
        404,
        r#"{"__type":"example.kitchen#WidgetNotFound","message":"no such widget"}"#,
    );

    fn widget(json: &str) -> String {
        format!(r#"{{"widget":{json}}}"#)
    }

    #[tokio::test(start_paused = true)]
    async fn widget_ready_retries_until_the_state_is_reached() -> TestResult {
        let building = widget(r#"{"state":"BUILDING"}"#);
        let ready = widget(r#"{"state":"READY"}"#);
        let recorder = Recorder::script(&[NOT_FOUND, (200, &building), (200, &building), (200, &ready)]);
        let start = Instant::now();
        let done = recorder
            .client()
            .wait_until_widget_ready()
            .name("w1")
            .wait(Duration::from_secs(600))
            .await?;
        assert_eq!(done.attempts(), 4);
        let output = done.as_result().map_err(|e| e.to_string())?;
        assert_eq!(
            output.widget.as_ref().and_then(|w| w.state.as_ref()).map(|s| s.as_str()),
            Some("READY")
        );
        // Every poll is the same call with the same input.
        let requests = recorder.requests();
        assert_eq!(requests.len(), 4);
        for request in &requests {
            assert_eq!(request.target, "KitchenSink.ViewWidget");
            assert_eq!(request.body, r#"{"name":"w1"}"#);
        }
        // minDelay 3 s first; then at most 6 s and 12 s, never under 3 s.
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_secs(9), "{elapsed:?}");
        assert!(elapsed <= Duration::from_secs(3 + 6 + 12), "{elapsed:?}");
        Ok(())
    }

    #[tokio::test(start_paused = true)]
    async fn widget_ready_stops_at_a_failure_state_with_the_response() {
        let broken = widget(r#"{"state":"BROKEN"}"#);
        let recorder = Recorder::script(&[(200, &widget(r#"{"state":"BUILDING"}"#)), (200, &broken)]);
        let error = recorder
            .client()
            .wait_until_widget_ready()
            .name("w1")
            .wait(Duration::from_secs(600))
            .await
            .expect_err("BROKEN is a failure state");
        match &error {
            WaiterError::FailureState { response: Ok(output), acceptor, attempts } => {
                assert_eq!(*acceptor, 1);
                assert_eq!(*attempts, 2);
                let state = output.widget.as_ref().and_then(|w| w.state.as_ref());
                assert_eq!(state.map(|s| s.as_str()), Some("BROKEN"));
            }
            other => panic!("expected a failure state, got {other:?}"),
        }
        assert!(error.to_string().contains("failure state"), "{error}");
    }

    #[tokio::test(start_paused = true)]
    async fn an_error_no_acceptor_expects_ends_the_wait() {
        let recorder = Recorder::script(&[(
            400,
            r#"{"__type":"example.kitchen#Trouble","reason":"nope"}"#,
        )]);
        let error = recorder
            .client()
            .wait_until_widget_ready()
            .name("w1")
            .wait(Duration::from_secs(600))
            .await
            .expect_err("an unexpected error");
        match error {
            WaiterError::OperationFailed { error: SdkError::Service(e), attempts: 1 } => {
                assert_eq!(e.meta().code(), Some("Trouble"));
                assert!(matches!(e.err(), ViewWidgetError::Unhandled(_)), "{:?}", e.err());
            }
            other => panic!("expected the operation's error, got {other:?}"),
        }
        assert_eq!(recorder.requests().len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_ends_a_wait_that_never_settles() {
        let recorder = Recorder::replying(200, &widget(r#"{"state":"BUILDING"}"#));
        let start = Instant::now();
        let error = recorder
            .client()
            .wait_until_widget_ready()
            .name("w1")
            .wait(Duration::from_secs(100))
            .await
            .expect_err("never ready");
        assert!(matches!(error, WaiterError::ExceededMaxWait { .. }), "{error:?}");
        // No delay runs past the deadline, and the last poll is sent on it.
        assert_eq!(start.elapsed(), Duration::from_secs(100));
        let polls = recorder.requests().len() as u32;
        assert_eq!(error.attempts(), polls);
        // maxDelay is 30 s: at least 100 / 30 polls after the first.
        assert!(polls >= 5, "{polls}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_missing_required_member_fails_before_anything_is_sent() {
        let recorder = Recorder::replying(200, "{}");
        let error = recorder
            .client()
            .wait_until_widget_ready()
            .wait(Duration::from_secs(60))
            .await
            .expect_err("`name` is required");
        assert!(
            matches!(error, WaiterError::OperationFailed { error: SdkError::Validation(_), attempts: 0 }),
            "{error:?}"
        );
        assert!(recorder.requests().is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn all_and_any_string_equals_look_at_every_part() -> TestResult {
        let parts = |states: &[&str]| {
            let parts: Vec<String> = states.iter().map(|s| format!(r#"{{"state":"{s}"}}"#)).collect();
            widget(&format!(r#"{{"parts":[{}]}}"#, parts.join(",")))
        };
        // No parts yet: `allStringEquals` needs at least one.
        let recorder = Recorder::script(&[
            (200, &widget("{}")),
            (200, &parts(&[])),
            (200, &parts(&["READY", "BUILDING"])),
            (200, &parts(&["READY", "READY"])),
        ]);
        let client = recorder.client();
        let done = client.wait_until_widget_parts_ready().name("w").wait(Duration::from_secs(600)).await?;
        assert_eq!(done.attempts(), 4);

        let recorder = Recorder::script(&[(200, &parts(&["READY", "BUILDING"])), (200, &parts(&["READY", "FAILED"]))]);
        let error = recorder
            .client()
            .wait_until_widget_parts_ready()
            .name("w")
            .wait(Duration::from_secs(600))
            .await
            .expect_err("one part failed");
        assert!(matches!(error, WaiterError::FailureState { acceptor: 0, attempts: 2, .. }), "{error:?}");
        Ok(())
    }

    #[tokio::test(start_paused = true)]
    async fn input_output_paths_compare_the_request_with_the_response() -> TestResult {
        let recorder = Recorder::script(&[
            (200, &widget(r#"{"parts":[{"state":"READY"}]}"#)),
            (200, &widget(r#"{"parts":[{"state":"READY"},{"state":"READY"}]}"#)),
        ]);
        let done = recorder
            .client()
            .wait_until_widget_matches_request()
            .name("w")
            .expected_parts(vec!["a".into(), "b".into()])
            .wait(Duration::from_secs(600))
            .await?;
        assert_eq!(done.attempts(), 2);
        assert_eq!(recorder.requests()[0].body, r#"{"name":"w","expectedParts":["a","b"]}"#);
        Ok(())
    }

    #[tokio::test(start_paused = true)]
    async fn filters_contains_and_boolean_operators() -> TestResult {
        let recorder = Recorder::script(&[
            // Tagged done, but a part is still building.
            (200, &widget(r#"{"tags":["done"],"parts":[{"state":"READY"},{"state":"BUILDING"}]}"#)),
            // Nothing building, but not tagged done.
            (200, &widget(r#"{"tags":["x"],"parts":[{"state":"READY"}]}"#)),
            (200, &widget(r#"{"tags":["x","done"],"parts":[{"state":"READY"}]}"#)),
        ]);
        let done = recorder.client().wait_until_widget_finished().name("w").wait(Duration::from_secs(600)).await?;
        assert_eq!(done.attempts(), 3);

        for failed in [r#"{"state":"BROKEN"}"#, r#"{"tags":["scrapped"]}"#] {
            let recorder = Recorder::replying(200, &widget(failed));
            let error = recorder
                .client()
                .wait_until_widget_finished()
                .name("w")
                .wait(Duration::from_secs(600))
                .await
                .expect_err("a failure state");
            assert!(matches!(error, WaiterError::FailureState { acceptor: 1, attempts: 1, .. }), "{failed}: {error:?}");
        }
        Ok(())
    }

    #[tokio::test(start_paused = true)]
    #[allow(deprecated)] // `WidgetGone` is deprecated in the model; it must still work.
    async fn error_type_and_success_matchers() -> TestResult {
        // `success: true` retries while the widget exists; its not-found error is the success.
        let recorder = Recorder::script(&[(200, &widget("{}")), NOT_FOUND]);
        let done = recorder.client().wait_until_widget_gone().name("w").wait(Duration::from_secs(600)).await?;
        assert_eq!(done.attempts(), 2);
        match done.into_result() {
            Err(SdkError::Service(e)) => assert!(matches!(e.err(), ViewWidgetError::WidgetNotFound(_))),
            other => panic!("expected WidgetNotFound, got {other:?}"),
        }
        // Any other error is the `success: false` failure state, with the error.
        let recorder = Recorder::replying(503, r#"{"__type":"InternalFailure"}"#);
        let error = recorder
            .client()
            .wait_until_widget_gone()
            .name("w")
            .wait(Duration::from_secs(600))
            .await
            .expect_err("a failure state");
        assert!(
            matches!(error, WaiterError::FailureState { response: Err(SdkError::Service(_)), acceptor: 1, .. }),
            "{error:?}"
        );
        Ok(())
    }
}

/// `kitchen-sink wait <waiter-name>` end to end: the built binary against a local server that
/// answers from a script. Every case settles on its first poll (or `--max-wait 0`), so none sleeps.
#[cfg(feature = "cli")]
mod cli_wait {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::process::{Command, Output};

    /// Serves `replies` (status, JSON) to one request each, on a thread; returns the endpoint URL.
    fn serve(replies: Vec<(u16, &'static str)>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        std::thread::spawn(move || {
            for (status, reply) in replies {
                let Ok((stream, _)) = listener.accept() else { return };
                let mut reader = BufReader::new(stream.try_clone().expect("a second handle"));
                let mut length = 0;
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line.trim_end() != "" {
                    if let Some((name, value)) = line.split_once(':') {
                        if name.eq_ignore_ascii_case("content-length") {
                            length = value.trim().parse().unwrap_or(0);
                        }
                    }
                    line.clear();
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                let response = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                    reply.len()
                );
                let mut stream = stream;
                let _ = stream.write_all(response.as_bytes());
            }
        });
        url
    }

    fn wait(url: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_kitchen-sink"))
            .arg("wait")
            .args(args)
            .args(["--endpoint-url", url, "--region", "us-east-1"])
            .env_clear()
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
            .env("AWS_CONFIG_FILE", "/nonexistent/config")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .expect("the CLI runs")
    }

    fn stderr(output: &Output) -> String {
        String::from_utf8_lossy(&output.stderr).into_owned()
    }

    #[test]
    fn success_prints_nothing_and_exits_0() {
        let url = serve(vec![(200, r#"{"widget":{"state":"READY"}}"#)]);
        let output = wait(&url, &["widget-ready", "--name", "w"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(output.stdout.is_empty());
    }

    #[test]
    fn a_failure_state_exits_255_naming_the_acceptor_as_the_aws_cli_does() {
        let url = serve(vec![(200, r#"{"widget":{"state":"BROKEN"}}"#)]);
        let output = wait(&url, &["widget-ready", "--name", "w"]);
        assert_eq!(output.status.code(), Some(255));
        assert_eq!(
            stderr(&output),
            "\nWaiter WidgetReady failed: Waiter encountered a terminal failure state: For expression \"widget.state\" we matched expected path: \"BROKEN\"\n"
        );
        let url = serve(vec![(200, r#"{"widget":{"parts":[{"state":"FAILED"}]}}"#)]);
        let output = wait(&url, &["widget-parts-ready", "--name", "w"]);
        assert_eq!(output.status.code(), Some(255));
        assert!(stderr(&output).contains("we matched expected path: \"FAILED\" at least once"), "{}", stderr(&output));
    }

    #[test]
    fn an_unexpected_error_exits_255_with_the_service_error() {
        let url = serve(vec![(400, r#"{"__type":"example.kitchen#Trouble","message":"no way","reason":"r"}"#)]);
        let output = wait(&url, &["widget-ready", "--name", "w"]);
        assert_eq!(output.status.code(), Some(255));
        assert_eq!(stderr(&output), "\nWaiter WidgetReady failed: An error occurred (Trouble): no way\n");
    }

    #[test]
    fn running_out_of_time_exits_255_with_max_attempts_exceeded() {
        let url = serve(vec![(200, r#"{"widget":{"state":"BUILDING"}}"#)]);
        let output = wait(&url, &["widget-ready", "--name", "w", "--max-wait", "0"]);
        assert_eq!(output.status.code(), Some(255));
        assert!(
            stderr(&output).starts_with("\nWaiter WidgetReady failed: Max attempts exceeded"),
            "{}",
            stderr(&output)
        );
    }

    #[test]
    fn a_missing_required_option_is_a_usage_error_and_nothing_is_sent() {
        let output = wait("http://127.0.0.1:9", &["widget-ready"]);
        assert_eq!(output.status.code(), Some(252), "{}", stderr(&output));
        let output = wait("http://127.0.0.1:9", &["no-such-waiter"]);
        assert_eq!(output.status.code(), Some(252), "{}", stderr(&output));
    }
}
