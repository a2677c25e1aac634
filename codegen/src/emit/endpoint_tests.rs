//! Emits `tests/endpoint_rules/` of a crate whose model has endpoint rules: every case of the model's
//! `smithy.rules#endpointTests` as a test of the crate.
//!
//! The cases stay data, as AWS publishes them: `cases.json` holds each case's documentation,
//! parameters and expected outcome (URL, headers and properties, or the rules' error message), and
//! `harness.rs` is one table-driven test that resolves every case with the crate's own rules and
//! partition table and reports each failure with the case's documentation. One test over a table,
//! rather than a `#[test]` per case, because DynamoDB alone has hundreds of cases: generated test
//! functions would cost generation and compile time for no clearer message.
//!
//! A case that gives its expected outcome only with the partition facts of
//! `codegen/data/endpoint-test-partition-overrides.json` (decided at generation time, in lowering,
//! with `rules::check_case`) is marked `model-era` and runs against the crate's table with those facts
//! (written into `cases.json`) put back; its failure message says so. Each `operationInputs` entry
//! of a case also runs as a real call of the crate's client: the built-ins become `Config`
//! settings, `AWS::Auth::AccountId` the credentials' account, the input is built with the crate's
//! builders from `operationParams`, which lowering typed (the only generated Rust besides the
//! harness), and a recording HTTP client checks the URL, `Host` header, headers and credential scope
//! of the request it sends (worked out in lowering too), or the configuration error that stops it.
//!
//! `main.rs` declares the harness with `#[rustfmt::skip]`, as the crate's own modules are: the
//! generator prints it, rustfmt would only reflow it.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::{json, Value};

use super::runtime_paths::{
    ENDPOINT_CONFIG_ENDPOINT_VALUE, ENDPOINT_ENDPOINT, ENDPOINT_PARAMS, ENDPOINT_PARAM_VALUE, ENDPOINT_RESOLVE_ERROR,
    PARTITIONS_AWS_PARTITIONS_JSON, PARTITIONS_PARTITIONS, TEST_UTIL_RECORDING_HTTP_CLIENT,
};
use super::tokens::{ident, inner_doc_lines, prefixed};
use super::values::value_tokens;
use super::RustFile;
use crate::ir::{sorted_keys, CallExpectation, EndpointCall, EndpointRules, EndpointTest, Service};
use crate::rules::endpoint::ParamValue;
use crate::rules::{CaseTable, EndpointExpectation};

/// The files of `tests/endpoint_rules/`.
pub struct EndpointTests {
    /// `main.rs`.
    pub main: RustFile,
    /// `harness.rs`.
    pub harness: RustFile,
    /// `cases.json`.
    pub cases_json: String,
}

/// Every file of `tests/endpoint_rules/`.
pub fn emit(service: &Service, rules: &EndpointRules) -> EndpointTests {
    let calls = operation_calls(service, rules);
    let model_era = rules.tests.iter().filter(|t| t.partitions == CaseTable::ModelEra).count();
    let mut document = serde_json::Map::new();
    document.insert("cases".into(), Value::Array(rules.tests.iter().map(case_json).collect()));
    if model_era > 0 {
        let facts = rules
            .model_era_facts
            .iter()
            .map(|fact| json!({"partition": fact.partition, "output": fact.output, "value": fact.value}))
            .collect();
        document.insert("modelEraFacts".into(), Value::Array(facts));
    }
    if !calls.is_empty() {
        document.insert("operationCalls".into(), Value::Array(calls.iter().map(|c| c.entry.clone()).collect()));
    }
    let mut cases_json = serde_json::to_string_pretty(&sorted_keys(&Value::Object(document)))
        .unwrap_or_else(|e| format!("{{\"error\": \"the cases could not be written: {e}\"}}"));
    cases_json.push('\n');
    EndpointTests {
        main: main_file(rules, model_era, calls.len()),
        harness: harness_file(service, rules.tests.len(), &calls),
        cases_json,
    }
}

fn main_file(rules: &EndpointRules, model_era: usize, calls: usize) -> RustFile {
    let mut text = format!(
        "The {} endpoint test cases of the service's model (`smithy.rules#endpointTests`), run against this \
         crate's endpoint rules and partition table: the cases are data in `cases.json`, checked by `harness.rs`.\n",
        rules.tests.len()
    );
    if model_era > 0 {
        text.push_str(&format!(
            "\n{model_era} of them expect partition facts that AWS's table has since changed; they run against \
             the crate's table with those facts put back (the generator's \
             `codegen/data/endpoint-test-partition-overrides.json`, copied into `cases.json` as `modelEraFacts`), \
             and their failure messages say so. The client itself never uses those facts.\n"
        ));
    } else {
        text.push_str("\nEvery case runs against the partition table the client uses.\n");
    }
    if calls > 0 {
        text.push_str(&format!(
            "\nThe cases' {calls} operation calls (`operationInputs`) also run through the client: their built-ins \
             as `Config` settings and credentials, the input from `operationParams`, and a recording HTTP client \
             that checks the URL, `Host` and credential scope of the request, or the configuration error.\n"
        ));
    }
    let mut file = RustFile::new(inner_doc_lines(&text));
    file.push(quote! {
        #[rustfmt::skip]
        mod harness;
    });
    file
}

fn param_json(params: &[(String, ParamValue)]) -> Value {
    let entries = params.iter().map(|(name, value)| {
        let value = match value {
            ParamValue::String(s) => Value::String(s.clone()),
            ParamValue::Bool(b) => Value::Bool(*b),
            ParamValue::StringArray(items) => Value::Array(items.iter().cloned().map(Value::String).collect()),
        };
        (name.clone(), value)
    });
    Value::Object(entries.collect())
}

fn case_json(test: &EndpointTest) -> Value {
    let expect = match &test.expect {
        EndpointExpectation::Endpoint { url, headers, properties } => json!({"endpoint": {
            "url": url,
            "headers": headers,
            "properties": Value::Object(properties.clone()),
        }}),
        EndpointExpectation::Error(message) => json!({"error": message}),
    };
    let partitions = match test.partitions {
        CaseTable::Published => "published",
        CaseTable::ModelEra => "model-era",
    };
    json!({
        "documentation": test.documentation,
        "params": param_json(&test.params),
        "expect": expect,
        "partitions": partitions,
    })
}

/// One operation call: its entry in `cases.json` and the code that makes it.
struct Call {
    entry: Value,
    /// The number of the code that makes it, shared by the calls of one operation with one input.
    builder: usize,
    make: TokenStream,
}

/// The calls of every case's `operationInputs` the crate can make, in case order.
fn operation_calls(service: &Service, rules: &EndpointRules) -> Vec<Call> {
    let mut calls = Vec::new();
    for test in &rules.tests {
        for call in &test.calls {
            // Lowering kept only the calls of the crate's operations.
            let Some(operation) = service.operations.iter().find(|op| op.name == call.operation) else { continue };
            let built = value_tokens(service, &call.input);
            let method = prefixed("call_", &operation.fn_name);
            let make = quote! {
                let input = #built;
                config_error(client.#method(input).await)
            };
            calls.push(Call { entry: call_json(test, call), builder: call.builder, make });
        }
    }
    calls
}

fn call_json(test: &EndpointTest, call: &EndpointCall) -> Value {
    let expect = match &call.expect {
        CallExpectation::Error(message) => json!({"error": message}),
        CallExpectation::Request { uri, host, headers, scope } => {
            json!({"request": {"uri": uri, "host": host, "headers": headers, "scope": scope}})
        }
    };
    json!({
        "documentation": test.documentation,
        "operation": call.operation,
        "builtInParams": param_json(&call.built_in_params),
        "clientParams": param_json(&call.client_params),
        "call": call.builder,
        "expect": expect,
    })
}

/// `harness.rs`: the checks of `cases.json`, and the code that makes each distinct operation call.
fn harness_file(service: &Service, case_count: usize, calls: &[Call]) -> RustFile {
    let krate = ident(&service.crate_name.replace('-', "_"));
    let case_count = Literal::usize_unsuffixed(case_count);
    let [endpoint, param_value, params, resolve_error, partitions, partitions_json] = [
        ENDPOINT_ENDPOINT,
        ENDPOINT_PARAM_VALUE,
        ENDPOINT_PARAMS,
        ENDPOINT_RESOLVE_ERROR,
        PARTITIONS_PARTITIONS,
        PARTITIONS_AWS_PARTITIONS_JSON,
    ]
    .map(|item| item.through(&krate));
    let mut file = RustFile::new(quote! {
        //! Checks every case of `cases.json` against the crate's endpoint rules, and (where the cases
        //! have them) makes their operation calls through the client.
    });
    file.push(quote! {
        use #endpoint;
        use #param_value;
        use #params;
        use #resolve_error;
        use #partitions;
        use serde_json::Value;
    });
    file.push(quote! {
        /// The model's cases as the generator wrote them, with the table each one runs against.
        const CASES: &str = include_str!("cases.json");

        /// How many cases the model has, so a damaged `cases.json` cannot pass with fewer.
        const CASE_COUNT: usize = #case_count;

        fn cases() -> Value {
            serde_json::from_str(CASES).expect("cases.json is JSON")
        }

        fn text<'v>(value: &'v Value, key: &str) -> &'v str {
            value[key].as_str().unwrap_or_else(|| panic!("`{key}` is not a string in {value}"))
        }

        fn param(value: &Value) -> ParamValue {
            match value {
                Value::String(s) => ParamValue::String(s.clone()),
                Value::Bool(b) => ParamValue::Bool(*b),
                Value::Array(items) => ParamValue::StringArray(
                    items.iter().map(|item| item.as_str().expect("a list of strings").to_string()).collect(),
                ),
                other => panic!("a parameter is a string, a boolean or a list of strings, not {other}"),
            }
        }

        /// How the outcome differs from `expect` (`{"endpoint": ...}` or `{"error": ...}`), if it does.
        fn check(expect: &Value, got: Result<Endpoint, ResolveError>) -> Result<(), String> {
            if let Some(message) = expect.get("error").and_then(Value::as_str) {
                return match got {
                    Err(ResolveError::Rule(got)) if got == message => Ok(()),
                    Err(e) => Err(format!("error `{e}`, expected the rule error {message:?}")),
                    Ok(endpoint) => Err(format!("endpoint {}, expected the error {message:?}", endpoint.url())),
                };
            }
            let expected = &expect["endpoint"];
            let url = text(expected, "url");
            let endpoint = got.map_err(|e| format!("error `{e}`, expected the endpoint {url}"))?;
            let mut problems = Vec::new();
            if endpoint.url() != url {
                problems.push(format!("URL {:?}, expected {url:?}", endpoint.url()));
            }
            let headers = serde_json::to_value(endpoint.headers()).expect("headers are JSON");
            if headers != expected["headers"] {
                problems.push(format!("headers {headers}, expected {}", expected["headers"]));
            }
            let properties = Value::Object(endpoint.properties().clone());
            if properties != expected["properties"] {
                problems.push(format!("properties {properties}, expected {}", expected["properties"]));
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("; "))
            }
        }

        /// The crate's partition table with `facts` (the `modelEraFacts` of `cases.json`) put back.
        fn model_era_table(facts: &Value) -> Partitions {
            let mut table: Value = serde_json::from_str(#partitions_json)
                .expect("the crate's partition table is JSON");
            for fact in facts.as_array().expect("a list of facts") {
                let partition = table["partitions"]
                    .as_array_mut()
                    .and_then(|all| all.iter_mut().find(|p| p["id"] == fact["partition"]))
                    .unwrap_or_else(|| panic!("the table has no partition {}", fact["partition"]));
                partition["outputs"][text(fact, "output")] = fact["value"].clone();
            }
            Partitions::from_json(&table).unwrap_or_else(|e| panic!("the adjusted table does not parse: {e}"))
        }

        /// Resolves every case with the crate's rules and reports each one that does not give exactly
        /// its expected URL, headers and properties, or its expected error message.
        #[test]
        fn every_endpoint_test_case_of_the_model_passes() {
            let cases = cases();
            let all = cases["cases"].as_array().expect("a list of cases");
            assert_eq!(all.len(), CASE_COUNT, "cases.json does not hold every case");
            let (rules, published) = #krate::client::ENDPOINT_RULES
                .rules()
                .get()
                .unwrap_or_else(|e| panic!("the embedded endpoint rules do not parse: {e}"));
            let model_era = cases.get("modelEraFacts").map(model_era_table);
            let mut failures = Vec::new();
            let mut model_era_cases = 0;
            for (index, case) in all.iter().enumerate() {
                let (table, note) = match text(case, "partitions") {
                    "published" => (published, ""),
                    "model-era" => {
                        model_era_cases += 1;
                        let table = model_era.as_ref().expect("cases.json has the model-era facts");
                        (table, ", checked against the model-era partition facts")
                    }
                    other => panic!("case {index}: no partition table called {other:?}"),
                };
                let mut params = Params::new();
                for (name, value) in case["params"].as_object().expect("the parameters are an object") {
                    params.set(name.as_str(), param(value));
                }
                if let Err(problem) = check(&case["expect"], rules.resolve(&params, table)) {
                    failures.push(format!("case {index} ({}{note}): {problem}", text(case, "documentation")));
                }
            }
            eprintln!("{} endpoint test cases, {model_era_cases} of them against the model-era partition facts", all.len());
            assert!(
                failures.is_empty(),
                "{} of {} endpoint test cases fail:\n{}",
                failures.len(),
                all.len(),
                failures.join("\n")
            );
        }
    });
    if !calls.is_empty() {
        file.push(call_items(&krate, calls));
    }
    file
}

/// The operation calls' runner, and the code that makes each distinct call.
fn call_items(krate: &proc_macro2::Ident, calls: &[Call]) -> TokenStream {
    let mut seen: Vec<usize> = Vec::new();
    let mut arms = Vec::new();
    for call in calls {
        if seen.contains(&call.builder) {
            continue;
        }
        let number = Literal::usize_unsuffixed(call.builder);
        seen.push(call.builder);
        let make = &call.make;
        arms.push(quote!(#number => Box::pin(async move { #make }),));
    }
    let call_count = Literal::usize_unsuffixed(calls.len());
    let [recording_http_client, endpoint_value] =
        [TEST_UTIL_RECORDING_HTTP_CLIENT, ENDPOINT_CONFIG_ENDPOINT_VALUE].map(|item| item.through(krate));
    quote! {
        use #krate::client::{Client, Config, Credentials, RetryConfig};
        use #recording_http_client;

        /// How many operation calls the cases have.
        const CALL_COUNT: usize = #call_count;

        /// A call in progress; it gives the configuration error that stopped it, if one did.
        type CallFuture = ::std::pin::Pin<Box<dyn ::std::future::Future<Output = Option<String>>>>;

        fn config_error<T, E>(result: Result<T, #krate::error::SdkError<E>>) -> Option<String> {
            match result {
                Err(#krate::error::SdkError::Config(e)) => Some(e.message().to_string()),
                _ => None,
            }
        }

        /// Makes the call numbered `number` (the `call` of an entry of `operationCalls`).
        fn call(number: u64, client: Client) -> CallFuture {
            match number {
                #(#arms)*
                other => panic!("cases.json names call {other}, which the harness does not have"),
            }
        }

        fn endpoint_value(value: &Value) -> #endpoint_value {
            match param(value) {
                ParamValue::String(s) => s.into(),
                ParamValue::Bool(b) => b.into(),
                ParamValue::StringArray(items) => items.into(),
            }
        }

        /// Builds the client the call's built-ins describe, makes the call, and compares what happened
        /// with its `expect` (`{"request": ...}` or `{"error": ...}`).
        async fn run(entry: &Value) -> Result<(), String> {
            let recorder = RecordingHttpClient::default();
            let mut config = Config::builder()
                .http_client(recorder.clone())
                .retry_config(RetryConfig::standard().with_max_attempts(1));
            let mut credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
            for (name, value) in entry["builtInParams"].as_object().expect("the built-ins are an object") {
                config = match (name.as_str(), value) {
                    ("AWS::Region", Value::String(region)) => config.region(region.as_str()),
                    ("AWS::UseFIPS", Value::Bool(on)) => config.use_fips(*on),
                    ("AWS::UseDualStack", Value::Bool(on)) => config.use_dual_stack(*on),
                    ("SDK::Endpoint", Value::String(url)) => config.endpoint_url(url.as_str()),
                    ("AWS::Auth::AccountIdEndpointMode", Value::String(mode)) => {
                        config.account_id_endpoint_mode(mode.parse().map_err(|e| format!("built-in {name}: {e}"))?)
                    }
                    ("AWS::Auth::AccountId", Value::String(account)) => {
                        credentials = credentials.with_account_id(account.as_str());
                        config
                    }
                    (other, value) => return Err(format!("the harness cannot set the built-in {other} to {value}")),
                };
            }
            for (name, value) in entry["clientParams"].as_object().expect("the client parameters are an object") {
                config = config.endpoint_param(name.as_str(), endpoint_value(value));
            }
            let config = config.credentials_provider(credentials);
            let number = entry["call"].as_u64().expect("each entry names its call");
            let outcome = match Client::from_conf(config) {
                Ok(client) => call(number, client).await,
                Err(e) => Some(e.message().to_string()),
            };
            let requests = recorder.requests();
            let expect = &entry["expect"];
            if let Some(message) = expect.get("error").and_then(Value::as_str) {
                return match outcome {
                    Some(got) if got == message && requests.is_empty() => Ok(()),
                    Some(got) if got == message => Err("the error came after a request was sent".to_string()),
                    Some(got) => Err(format!("error {got:?}, expected {message:?}")),
                    None => Err(format!("no configuration error, expected {message:?}")),
                };
            }
            if let Some(got) = outcome {
                return Err(format!("configuration error {got:?}"));
            }
            let [request] = requests.as_slice() else {
                return Err(format!("{} requests sent, expected one", requests.len()));
            };
            let expected = &expect["request"];
            let header = |name: &str| -> Vec<&str> {
                request.headers().get_all(name).iter().map(|v| v.to_str().unwrap_or("(not text)")).collect()
            };
            let mut problems = Vec::new();
            if request.uri() != text(expected, "uri") {
                problems.push(format!("sent to {}, expected {}", request.uri(), text(expected, "uri")));
            }
            if header("host") != [text(expected, "host")] {
                problems.push(format!("Host {:?}, expected {}", header("host"), text(expected, "host")));
            }
            for (name, values) in expected["headers"].as_object().expect("the headers are an object") {
                let values: Vec<&str> = values.as_array().expect("a list").iter().filter_map(Value::as_str).collect();
                if header(name) != values {
                    problems.push(format!("header {name} {:?}, expected {values:?}", header(name)));
                }
            }
            let authorization = header("authorization").concat();
            if !authorization.contains(text(expected, "scope")) {
                problems.push(format!(
                    "signed as {authorization:?}, expected the scope to end in {}",
                    text(expected, "scope")
                ));
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("; "))
            }
        }

        /// Makes every operation call of the cases through the client and reports each one that does not
        /// send the expected request, or fail with the expected configuration error before sending.
        #[tokio::test]
        async fn every_operation_call_of_the_cases_reaches_its_endpoint() {
            let cases = cases();
            let all = cases["operationCalls"].as_array().expect("a list of operation calls");
            assert_eq!(all.len(), CALL_COUNT, "cases.json does not hold every operation call");
            let mut failures = Vec::new();
            for (index, entry) in all.iter().enumerate() {
                if let Err(problem) = run(entry).await {
                    failures.push(format!(
                        "call {index} ({}, as {}): {problem}",
                        text(entry, "documentation"),
                        text(entry, "operation")
                    ));
                }
            }
            eprintln!("{} operation calls", all.len());
            assert!(
                failures.is_empty(),
                "{} of {} operation calls fail:\n{}",
                failures.len(),
                all.len(),
                failures.join("\n")
            );
        }
    }
}
