//! Emits `tests/endpoint_rules/` of a crate whose model has endpoint rules: every case of the model's
//! `smithy.rules#endpointTests` as a test of the crate.
//!
//! The cases are data, one table entry each, checked by one test that reports every failing case
//! with its documentation (a table rather than a `#[test]` per case: DynamoDB alone has hundreds,
//! and a test function each would cost compile time for no clearer message). Each case resolves its
//! `params` with the crate's own rules and partition table, except the cases that give their
//! expected outcome only with the partition facts of
//! `codegen/data/endpoint-test-partition-overrides.json` (decided at generation time, see
//! `rules::check_case`): those run against the crate's table with those facts put back, and say so.
//! Each `operationInputs` entry of a case also runs as a real call of the crate's client: the
//! built-ins become `Config` settings, `AWS::Auth::AccountId` the credentials' account, the input is
//! built from `operationParams`, and a recording HTTP client checks the URL, `Host` header, headers
//! and credential scope of the request it sends (or the configuration error, for error cases).
//!
//! The checking code lives in `cases.rs`, which `main.rs` declares with `#[rustfmt::skip]`, as the
//! crate's own modules are: the generator prints it, rustfmt would only reflow it.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::tokens::{ident, inner_doc_lines, prefixed};
use super::RustFile;
use crate::ir::{sorted_keys, EndpointRules, EndpointTest, Service, TyKind, TypeDefKind, Warning};
use crate::model::{EndpointExpectation, EndpointOperationInput};
use crate::rules::endpoint::{built_in, ParamValue};
use crate::rules::CaseTable;

/// The built-ins the generated runs turn into client settings.
const RUN_BUILT_INS: &[&str] = &[
    built_in::REGION,
    built_in::USE_FIPS,
    built_in::USE_DUAL_STACK,
    built_in::ENDPOINT,
    built_in::ACCOUNT_ID,
    built_in::ACCOUNT_ID_ENDPOINT_MODE,
];

/// `tests/endpoint_rules/main.rs`.
pub fn emit_main(rules: &EndpointRules) -> RustFile {
    let model_era = rules.tests.iter().filter(|t| t.partitions == CaseTable::ModelEra).count();
    let mut text = format!(
        "The {} endpoint test cases of the service's model (`smithy.rules#endpointTests`), run against this \
         crate's endpoint rules and partition table; see `cases.rs`.\n",
        rules.tests.len()
    );
    if model_era > 0 {
        text.push_str(&format!(
            "\n{model_era} of them expect partition facts that AWS's table has since changed; they run against \
             the crate's table with those facts put back (the generator's \
             `codegen/data/endpoint-test-partition-overrides.json`), and their failure messages say so. The \
             client itself never uses those facts.\n"
        ));
    } else {
        text.push_str("\nEvery case runs against the partition table the client uses.\n");
    }
    let calls: usize = rules.tests.iter().map(|t| t.case.operation_inputs.len()).sum();
    if calls > 0 {
        text.push_str(&format!(
            "\nThe cases' {calls} operation calls (`operationInputs`) also run through the client: their built-ins as \
             `Config` settings and credentials, the input from `operationParams`, and a recording HTTP client that \
             checks the URL, `Host` and credential scope of the request, or the configuration error.\n"
        ));
    }
    let docs = inner_doc_lines(&text);
    let mut file = RustFile::new(docs);
    file.push(quote! {
        #[rustfmt::skip]
        mod cases;
    });
    file
}

/// `tests/endpoint_rules/cases.rs`, and warnings about operation runs it cannot generate.
pub fn emit_cases(service: &Service, rules: &EndpointRules) -> (RustFile, Vec<Warning>) {
    let krate = ident(&service.crate_name.replace('-', "_"));
    let uses_model_era = rules.tests.iter().any(|t| t.partitions == CaseTable::ModelEra);
    let mut warnings = Vec::new();
    let cases: Vec<TokenStream> = rules.tests.iter().map(|test| case_entry(test, uses_model_era)).collect();
    let mut file = RustFile::new(quote! {
        //! The model's endpoint test cases as a table, and the test that checks them all.
        //!
        //! Every kind of value and expectation is declared, whether or not this model's cases use it.
        #![allow(dead_code)]
    });
    let partitions_import =
        if uses_model_era { quote!(use #krate::runtime::partitions::Partitions;) } else { TokenStream::new() };
    file.push(quote! {
        use #krate::runtime::endpoint::{Endpoint, ParamValue, Params, ResolveError};
        #partitions_import
    });
    file.push(shared_items());
    let table_field = if uses_model_era { quote!(table: Table,) } else { TokenStream::new() };
    file.push(quote! {
        /// One case of the model: its documentation, parameters and expected outcome.
        struct Case {
            documentation: &'static str,
            params: &'static [(&'static str, Value)],
            expect: Expect,
            #table_field
        }

        /// Every case, in model order.
        const CASES: &[Case] = &[#(#cases),*];
    });
    if uses_model_era {
        file.push(model_era_items(rules));
    }
    let (table_choice, model_era_note, summary) = if uses_model_era {
        (
            quote! {
                let table = match case.table {
                    Table::Published => published,
                    Table::ModelEra => &model_era,
                };
            },
            quote! {
                let note = match case.table {
                    Table::Published => "",
                    Table::ModelEra => ", checked against the model-era partition facts",
                };
            },
            quote! {
                let model_era_cases = CASES.iter().filter(|case| case.table == Table::ModelEra).count();
                eprintln!(
                    "{} endpoint test cases, {model_era_cases} of them against the model-era partition facts",
                    CASES.len()
                );
            },
        )
    } else {
        (
            quote!(let table = published;),
            quote!(let note = "";),
            quote!(eprintln!("{} endpoint test cases", CASES.len());),
        )
    };
    let model_era_table = if uses_model_era { quote!(let model_era = model_era_table();) } else { TokenStream::new() };
    file.push(quote! {
        /// Resolves every case with the crate's rules and reports each one that does not give exactly
        /// its expected URL, headers and properties, or its expected error message.
        #[test]
        fn every_endpoint_test_case_of_the_model_passes() {
            let (rules, published) = #krate::client::ENDPOINT_RULES
                .rules()
                .get()
                .unwrap_or_else(|e| panic!("the embedded endpoint rules do not parse: {e}"));
            #model_era_table
            let mut failures = Vec::new();
            for (index, case) in CASES.iter().enumerate() {
                #table_choice
                #model_era_note
                let mut params = Params::new();
                for (name, value) in case.params {
                    params.set(*name, value.param());
                }
                if let Err(problem) = check(&case.expect, rules.resolve(&params, table)) {
                    failures.push(format!("case {index} ({}{note}): {problem}", case.documentation));
                }
            }
            #summary
            assert!(
                failures.is_empty(),
                "{} of {} endpoint test cases fail:\n{}",
                failures.len(),
                CASES.len(),
                failures.join("\n")
            );
        }
    });
    let runs = operation_runs(service, rules, &mut warnings);
    if !runs.is_empty() {
        file.push(run_items(&krate));
        let entries = runs.iter().map(|run| &run.entry);
        let calls = dedup_calls(&runs);
        file.push(quote! {
            /// Every operation call of the cases (`operationInputs`), in model order.
            const RUNS: &[OperationRun] = &[#(#entries),*];
        });
        for call in calls {
            file.push(call);
        }
    }
    (file, warnings)
}

/// The value, expectation and checking items every generated file has.
fn shared_items() -> TokenStream {
    quote! {
        /// A parameter value as a case gives it.
        #[derive(Clone, Copy)]
        enum Value {
            Str(&'static str),
            Bool(bool),
            List(&'static [&'static str]),
        }

        impl Value {
            fn param(self) -> ParamValue {
                match self {
                    Value::Str(s) => ParamValue::String(s.to_string()),
                    Value::Bool(b) => ParamValue::Bool(b),
                    Value::List(items) => ParamValue::StringArray(items.iter().map(|s| s.to_string()).collect()),
                }
            }
        }

        /// What a case expects: an endpoint (URL, headers by name, properties as JSON) or the rules' error.
        enum Expect {
            Endpoint {
                url: &'static str,
                headers: &'static [(&'static str, &'static [&'static str])],
                properties: &'static str,
            },
            Error(&'static str),
        }

        /// How the outcome differs from the expectation, if it does.
        fn check(expect: &Expect, got: Result<Endpoint, ResolveError>) -> Result<(), String> {
            match (expect, got) {
                (Expect::Endpoint { url, headers, properties }, Ok(endpoint)) => {
                    let mut problems = Vec::new();
                    if endpoint.url() != *url {
                        problems.push(format!("URL {:?}, expected {url:?}", endpoint.url()));
                    }
                    let got_headers: Vec<(&str, Vec<&str>)> = endpoint
                        .headers()
                        .iter()
                        .map(|(name, values)| (name.as_str(), values.iter().map(String::as_str).collect()))
                        .collect();
                    let expected_headers: Vec<(&str, Vec<&str>)> =
                        headers.iter().map(|(name, values)| (*name, values.to_vec())).collect();
                    if got_headers != expected_headers {
                        problems.push(format!("headers {got_headers:?}, expected {expected_headers:?}"));
                    }
                    let expected: serde_json::Value =
                        serde_json::from_str(properties).expect("the expected properties are JSON");
                    let got = serde_json::Value::Object(endpoint.properties().clone());
                    if got != expected {
                        problems.push(format!("properties {got}, expected {expected}"));
                    }
                    if problems.is_empty() {
                        Ok(())
                    } else {
                        Err(problems.join("; "))
                    }
                }
                (Expect::Endpoint { url, .. }, Err(e)) => Err(format!("error `{e}`, expected the endpoint {url}")),
                (Expect::Error(message), Err(ResolveError::Rule(got))) if got == *message => Ok(()),
                (Expect::Error(message), Err(e)) => Err(format!("error `{e}`, expected the rule error {message:?}")),
                (Expect::Error(message), Ok(endpoint)) => {
                    Err(format!("endpoint {}, expected the error {message:?}", endpoint.url()))
                }
            }
        }
    }
}

/// The table choice and the crate's partition table with the model-era facts put back.
fn model_era_items(rules: &EndpointRules) -> TokenStream {
    let facts: Vec<Value> = crate::rules::checked_in_tables()
        .overrides
        .iter()
        .map(|fact| serde_json::json!({"partition": fact.partition, "output": fact.output, "value": fact.value}))
        .collect();
    let facts = Value::Array(facts).to_string();
    let count = rules.tests.iter().filter(|t| t.partitions == CaseTable::ModelEra).count();
    let doc = format!(
        " The partition table a case runs against: the crate's own, or ({count} cases) the crate's own with\n \
         [`MODEL_ERA_FACTS`] put back, for the cases that expect facts AWS's table has since changed."
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum Table {
            Published,
            ModelEra,
        }

        /// The partition facts the model's endpoint tests assume where AWS's table has since changed, from
        /// the generator's `codegen/data/endpoint-test-partition-overrides.json` (which says why). Only
        /// these tests use them; the client runs with the table as AWS publishes it.
        const MODEL_ERA_FACTS: &str = #facts;

        /// The crate's partition table with [`MODEL_ERA_FACTS`] put back.
        fn model_era_table() -> Partitions {
            let mut table: serde_json::Value = serde_json::from_str(include_str!("../../src/runtime/partitions.json"))
                .expect("the crate's partition table is JSON");
            let facts: Vec<serde_json::Value> = serde_json::from_str(MODEL_ERA_FACTS).expect("the facts are JSON");
            for fact in &facts {
                let output = fact["output"].as_str().expect("each fact names an output");
                let partition = table["partitions"]
                    .as_array_mut()
                    .and_then(|all| all.iter_mut().find(|p| p["id"] == fact["partition"]))
                    .unwrap_or_else(|| panic!("the table has no partition {}", fact["partition"]));
                partition["outputs"][output] = fact["value"].clone();
            }
            Partitions::from_json(&table).unwrap_or_else(|e| panic!("the adjusted table does not parse: {e}"))
        }
    }
}

fn param_value(value: &ParamValue) -> TokenStream {
    match value {
        ParamValue::String(s) => quote!(Value::Str(#s)),
        ParamValue::Bool(b) => quote!(Value::Bool(#b)),
        ParamValue::StringArray(items) => quote!(Value::List(&[#(#items),*])),
    }
}

/// Parameters by name, sorted, so the file does not depend on the model's key order.
fn params_tokens(params: &[(String, ParamValue)]) -> TokenStream {
    let mut params: Vec<&(String, ParamValue)> = params.iter().collect();
    params.sort_by(|a, b| a.0.cmp(&b.0));
    let entries = params.into_iter().map(|(name, value)| {
        let value = param_value(value);
        quote!((#name, #value))
    });
    quote!(&[#(#entries),*])
}

fn documentation(test: &EndpointTest) -> String {
    test.case.documentation.clone().unwrap_or_else(|| format!("undocumented case at {}", test.case.json_path))
}

fn expect_tokens(expect: &EndpointExpectation) -> TokenStream {
    match expect {
        EndpointExpectation::Endpoint { url, headers, properties } => {
            let headers = headers.iter().map(|(name, values)| quote!((#name, &[#(#values),*])));
            let properties = sorted_keys(&Value::Object(properties.clone())).to_string();
            quote!(Expect::Endpoint { url: #url, headers: &[#(#headers),*], properties: #properties })
        }
        EndpointExpectation::Error(message) => quote!(Expect::Error(#message)),
    }
}

fn case_entry(test: &EndpointTest, with_table: bool) -> TokenStream {
    let documentation = documentation(test);
    let params = params_tokens(&test.case.params);
    let expect = expect_tokens(&test.case.expect);
    let table = match (with_table, test.partitions) {
        (false, _) => TokenStream::new(),
        (true, CaseTable::Published) => quote!(table: Table::Published,),
        (true, CaseTable::ModelEra) => quote!(table: Table::ModelEra,),
    };
    quote!(Case { documentation: #documentation, params: #params, expect: #expect, #table })
}

/// One operation run: its table entry, and the function that makes its call.
struct Run {
    entry: TokenStream,
    call_name: proc_macro2::Ident,
    call: TokenStream,
}

/// The runs of every case's `operationInputs`, except those that cannot be generated (warned about).
fn operation_runs(service: &Service, rules: &EndpointRules, warnings: &mut Vec<Warning>) -> Vec<Run> {
    let krate = ident(&service.crate_name.replace('-', "_"));
    let types = quote!(#krate::types);
    let mut runs = Vec::new();
    let mut calls: BTreeMap<String, proc_macro2::Ident> = BTreeMap::new();
    for test in &rules.tests {
        for (index, input) in test.case.operation_inputs.iter().enumerate() {
            let location = format!("{}.operationInputs[{index}]", test.case.json_path);
            let mut warn = |message: String| {
                warnings.push(Warning {
                    file: String::new(),
                    shape: service.shape_id.clone(),
                    location: location.clone(),
                    message,
                });
            };
            if test.partitions == CaseTable::ModelEra {
                warn("this operation call is not tested: its case expects the model-era partition facts, which the client never uses".into());
                continue;
            }
            if let Some((name, _)) =
                input.built_in_params.iter().find(|(name, _)| !RUN_BUILT_INS.contains(&name.as_str()))
            {
                warn(format!("this operation call is not tested: the client has no setting for the built-in `{name}`"));
                continue;
            }
            let Some(operation) = service.operations.iter().find(|op| op.name == input.operation_name) else {
                warn(format!(
                    "this operation call is not tested: the crate has no operation `{}`",
                    input.operation_name
                ));
                continue;
            };
            let input_value = sorted_keys(&Value::Object(input.operation_params.clone()));
            let built = match value_tokens(service, &types, &TyKind::Structure(operation.input.clone()), &input_value) {
                Ok(tokens) => tokens,
                Err(why) => {
                    warn(format!("this operation call is not tested: its input cannot be built: {why}"));
                    continue;
                }
            };
            let key = format!("{}:{}", operation.name, input_value);
            let next_index = calls.len();
            let call_name = calls
                .entry(key)
                .or_insert_with(|| format_ident!("call_{}_{next_index}", crate::naming::unraw(&operation.fn_name)))
                .clone();
            let method = prefixed("call_", &operation.fn_name);
            let call = quote! {
                fn #call_name(client: Client) -> CallFuture {
                    Box::pin(async move {
                        let input = #built;
                        config_error(client.#method(input).await)
                    })
                }
            };
            let entry = run_entry(service, test, input, &call_name);
            runs.push(Run { entry, call_name, call });
        }
    }
    runs
}

/// The call functions, one per distinct input, in the order of first use.
fn dedup_calls(runs: &[Run]) -> Vec<TokenStream> {
    let mut seen = std::collections::BTreeSet::new();
    runs.iter().filter(|run| seen.insert(run.call_name.to_string())).map(|run| run.call.clone()).collect()
}

fn run_entry(
    service: &Service,
    test: &EndpointTest,
    input: &EndpointOperationInput,
    call_name: &proc_macro2::Ident,
) -> TokenStream {
    let documentation = documentation(test);
    let operation = &input.operation_name;
    let built_ins = params_tokens(&input.built_in_params);
    let client_params = params_tokens(&input.client_params);
    let expected = match &test.case.expect {
        EndpointExpectation::Error(message) => quote!(Expected::Error(#message)),
        EndpointExpectation::Endpoint { url, headers, properties } => {
            let (uri, host) = request_uri_and_host(url);
            let region = input
                .built_in_params
                .iter()
                .find(|(name, _)| name == built_in::REGION)
                .and_then(|(_, value)| match value {
                    ParamValue::String(s) => Some(s.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            let sigv4 = properties
                .get("authSchemes")
                .and_then(Value::as_array)
                .and_then(|schemes| schemes.iter().find(|s| s.get("name").and_then(Value::as_str) == Some("sigv4")));
            let text = |key: &str| sigv4.and_then(|s| s.get(key)).and_then(Value::as_str).map(str::to_string);
            let scope = format!(
                "/{}/{}/aws4_request",
                text("signingRegion").unwrap_or(region),
                text("signingName").unwrap_or_else(|| service.signing_name.clone())
            );
            let headers = headers.iter().map(|(name, values)| quote!((#name, &[#(#values),*])));
            quote!(Expected::Request { uri: #uri, host: #host, headers: &[#(#headers),*], scope: #scope })
        }
    };
    quote! {
        OperationRun {
            documentation: #documentation,
            operation: #operation,
            built_ins: #built_ins,
            client_params: #client_params,
            call: #call_name,
            expected: #expected,
        }
    }
}

/// The URL an awsJson request to the endpoint `url` goes to (its path with one `/` after it) and the
/// `Host` it carries, as the runtime's `ResolvedEndpoint` builds them.
fn request_uri_and_host(url: &str) -> (String, String) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let (authority, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    let path = path.strip_suffix('/').unwrap_or(path);
    let host = match (scheme, authority.rsplit_once(':')) {
        ("https", Some((host, "443"))) | ("http", Some((host, "80"))) => host.to_string(),
        _ => authority.to_string(),
    };
    (format!("{scheme}://{authority}{path}/"), host)
}

/// The items the operation runs share: the run table's type, the recorder, and the runner.
fn run_items(krate: &proc_macro2::Ident) -> TokenStream {
    quote! {
        use #krate::client::{Client, Config, Credentials, RetryConfig};
        use #krate::runtime::http::{BoxFuture, HttpClient, TransportError};

        /// What a call of an operation gives: the configuration error that stopped it, if one did.
        type CallFuture = ::std::pin::Pin<Box<dyn ::std::future::Future<Output = Option<String>>>>;

        /// One operation call of a case: the client settings its built-ins name, the call, and what it must do.
        struct OperationRun {
            documentation: &'static str,
            operation: &'static str,
            built_ins: &'static [(&'static str, Value)],
            client_params: &'static [(&'static str, Value)],
            call: fn(Client) -> CallFuture,
            expected: Expected,
        }

        /// The request the call sends (URL, `Host`, extra headers, and the tail of the credential scope), or
        /// the configuration error that stops it.
        enum Expected {
            Request {
                uri: &'static str,
                host: &'static str,
                headers: &'static [(&'static str, &'static [&'static str])],
                scope: &'static str,
            },
            Error(&'static str),
        }

        fn config_error<T, E>(result: Result<T, #krate::error::SdkError<E>>) -> Option<String> {
            match result {
                Err(#krate::error::SdkError::Config(e)) => Some(e.message().to_string()),
                _ => None,
            }
        }

        /// Records the requests and answers each with an empty JSON object.
        #[derive(Debug, Clone, Default)]
        struct Recorder {
            requests: std::sync::Arc<std::sync::Mutex<Vec<http::Request<Vec<u8>>>>>,
        }

        impl HttpClient for Recorder {
            fn send(
                &self,
                request: http::Request<Vec<u8>>,
                _max_response_bytes: usize,
            ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
                self.requests.lock().expect("not poisoned").push(request);
                Box::pin(async { Ok(http::Response::new(b"{}".to_vec())) })
            }
        }

        fn endpoint_value(value: Value) -> #krate::runtime::endpoint_config::EndpointValue {
            match value {
                Value::Str(s) => s.into(),
                Value::Bool(b) => b.into(),
                Value::List(items) => items.iter().map(|s| s.to_string()).collect::<Vec<_>>().into(),
            }
        }

        /// Builds the client the run's built-ins describe, makes the call, and compares what happened.
        async fn run(run: &OperationRun) -> Result<(), String> {
            let recorder = Recorder::default();
            let mut config = Config::builder()
                .http_client(recorder.clone())
                .retry_config(RetryConfig::standard().with_max_attempts(1));
            let mut credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
            for (name, value) in run.built_ins {
                config = match (*name, *value) {
                    ("AWS::Region", Value::Str(region)) => config.region(region),
                    ("AWS::UseFIPS", Value::Bool(on)) => config.use_fips(on),
                    ("AWS::UseDualStack", Value::Bool(on)) => config.use_dual_stack(on),
                    ("SDK::Endpoint", Value::Str(url)) => config.endpoint_url(url),
                    ("AWS::Auth::AccountIdEndpointMode", Value::Str(mode)) => {
                        config.account_id_endpoint_mode(mode.parse().map_err(|e| format!("built-in {name}: {e}"))?)
                    }
                    ("AWS::Auth::AccountId", Value::Str(account)) => {
                        credentials = credentials.with_account_id(account);
                        config
                    }
                    (other, _) => return Err(format!("the test cannot set the built-in {other}")),
                };
            }
            for (name, value) in run.client_params {
                config = config.endpoint_param(*name, endpoint_value(*value));
            }
            let config = config.credentials_provider(credentials);
            let outcome = match Client::from_conf(config) {
                Ok(client) => (run.call)(client).await,
                Err(e) => Some(e.message().to_string()),
            };
            let requests = recorder.requests.lock().expect("not poisoned");
            match (&run.expected, outcome) {
                (Expected::Error(message), Some(got)) if got == *message => {
                    if requests.is_empty() {
                        Ok(())
                    } else {
                        Err("the error came after a request was sent".to_string())
                    }
                }
                (Expected::Error(message), Some(got)) => Err(format!("error {got:?}, expected {message:?}")),
                (Expected::Error(message), None) => Err(format!("no configuration error, expected {message:?}")),
                (Expected::Request { .. }, Some(got)) => Err(format!("configuration error {got:?}")),
                (Expected::Request { uri, host, headers, scope }, None) => {
                    let [request] = requests.as_slice() else {
                        return Err(format!("{} requests sent, expected one", requests.len()));
                    };
                    let header = |name: &str| {
                        request.headers().get_all(name).iter().map(|v| v.to_str().unwrap_or("(not text)")).collect::<Vec<_>>()
                    };
                    let mut problems = Vec::new();
                    if request.uri() != *uri {
                        problems.push(format!("sent to {}, expected {uri}", request.uri()));
                    }
                    if header("host") != [*host] {
                        problems.push(format!("Host {:?}, expected {host}", header("host")));
                    }
                    for (name, values) in *headers {
                        if header(name) != *values {
                            problems.push(format!("header {name} {:?}, expected {values:?}", header(name)));
                        }
                    }
                    let authorization = header("authorization").concat();
                    if !authorization.contains(scope) {
                        problems.push(format!("signed as {authorization:?}, expected the scope to end in {scope}"));
                    }
                    if problems.is_empty() {
                        Ok(())
                    } else {
                        Err(problems.join("; "))
                    }
                }
            }
        }

        /// Makes every operation call of the cases through the client and reports each one that does not
        /// send the expected request, or fail with the expected configuration error, before sending.
        #[tokio::test]
        async fn every_operation_call_of_the_cases_reaches_its_endpoint() {
            let mut failures = Vec::new();
            for (index, operation_run) in RUNS.iter().enumerate() {
                if let Err(problem) = run(operation_run).await {
                    failures.push(format!(
                        "run {index} ({}, as {}): {problem}",
                        operation_run.documentation, operation_run.operation
                    ));
                }
            }
            eprintln!("{} operation calls", RUNS.len());
            assert!(
                failures.is_empty(),
                "{} of {} operation calls fail:\n{}",
                failures.len(),
                RUNS.len(),
                failures.join("\n")
            );
        }
    }
}

/// A Rust expression of type `ty` with the value `json` (a case's `operationParams`), built with the
/// crate's builders; an error says what cannot be built.
fn value_tokens(service: &Service, types: &TokenStream, ty: &TyKind, json: &Value) -> Result<TokenStream, String> {
    let wrong = |what: &str| format!("expected {what}, found {json}");
    Ok(match ty {
        TyKind::String => {
            let s = json.as_str().ok_or_else(|| wrong("a string"))?;
            quote!(::std::string::String::from(#s))
        }
        TyKind::Bool => {
            let b = json.as_bool().ok_or_else(|| wrong("a boolean"))?;
            quote!(#b)
        }
        TyKind::Byte | TyKind::Short | TyKind::Integer | TyKind::Long => {
            let n = json.as_i64().ok_or_else(|| wrong("an integer"))?;
            let literal = match ty {
                TyKind::Byte => Literal::i8_suffixed(i8::try_from(n).map_err(|_| wrong("a byte"))?),
                TyKind::Short => Literal::i16_suffixed(i16::try_from(n).map_err(|_| wrong("a short"))?),
                TyKind::Integer => Literal::i32_suffixed(i32::try_from(n).map_err(|_| wrong("an integer"))?),
                _ => Literal::i64_suffixed(n),
            };
            quote!(#literal)
        }
        TyKind::Float | TyKind::Double => {
            let n = json.as_f64().ok_or_else(|| wrong("a number"))?;
            let literal =
                if matches!(ty, TyKind::Float) { Literal::f32_suffixed(n as f32) } else { Literal::f64_suffixed(n) };
            quote!(#literal)
        }
        TyKind::Document => {
            let text = json.to_string();
            quote!(serde_json::from_str::<serde_json::Value>(#text).expect("a JSON document"))
        }
        TyKind::Enum(name) => {
            let s = json.as_str().ok_or_else(|| wrong("a string"))?;
            let name = ident(name);
            quote!(#types::#name::from(#s))
        }
        TyKind::IntEnum(name) => {
            let n = json.as_i64().ok_or_else(|| wrong("an integer"))?;
            let name = ident(name);
            quote!(#types::#name::from(#n))
        }
        TyKind::List { member, sparse } => {
            let items = json.as_array().ok_or_else(|| wrong("a list"))?;
            let items = items
                .iter()
                .map(|item| match (sparse, item) {
                    (true, Value::Null) => Ok(quote!(::std::option::Option::None)),
                    (true, item) => value_tokens(service, types, &member.kind, item)
                        .map(|v| quote!(::std::option::Option::Some(#v))),
                    (false, item) => value_tokens(service, types, &member.kind, item),
                })
                .collect::<Result<Vec<_>, _>>()?;
            quote!(::std::vec![#(#items),*])
        }
        TyKind::Map { key, value, sparse } => {
            let entries = json.as_object().ok_or_else(|| wrong("a map"))?;
            let entries = entries
                .iter()
                .map(|(k, v)| {
                    let k = value_tokens(service, types, &key.kind, &Value::String(k.clone()))?;
                    let v = match (sparse, v) {
                        (true, Value::Null) => quote!(::std::option::Option::None),
                        (true, v) => {
                            let v = value_tokens(service, types, &value.kind, v)?;
                            quote!(::std::option::Option::Some(#v))
                        }
                        (false, v) => value_tokens(service, types, &value.kind, v)?,
                    };
                    Ok(quote!((#k, #v)))
                })
                .collect::<Result<Vec<_>, String>>()?;
            quote!(::std::collections::BTreeMap::from([#(#entries),*]))
        }
        TyKind::Structure(name) => {
            let object = json.as_object().ok_or_else(|| wrong("an object"))?;
            let Some(TypeDefKind::Structure(structure)) = service.type_def(name).map(|t| &t.kind) else {
                return Err(format!("`{name}` is not a structure of the crate"));
            };
            let mut setters = Vec::new();
            for (member, member_value) in object {
                let field = structure
                    .fields
                    .iter()
                    .find(|f| f.member_name == *member)
                    .ok_or_else(|| format!("`{name}` has no member `{member}`"))?;
                let value = value_tokens(service, types, &field.ty.kind, member_value)?;
                let setter = prefixed("set_", &field.rust_name);
                setters.push(quote!(.#setter(::std::option::Option::Some(#value))));
            }
            let name = ident(name);
            let message = format!("the case's `{name}` builds");
            quote!(#types::#name::builder() #(#setters)* .build().expect(#message))
        }
        TyKind::Union(name) => {
            let object = json.as_object().ok_or_else(|| wrong("an object with one member"))?;
            let (member, member_value) = match object.iter().next() {
                Some(entry) if object.len() == 1 => entry,
                _ => return Err(wrong("an object with one member")),
            };
            let Some(TypeDefKind::Union(fields)) = service.type_def(name).map(|t| &t.kind) else {
                return Err(format!("`{name}` is not a union of the crate"));
            };
            let field = fields
                .iter()
                .find(|f| f.member_name == *member)
                .ok_or_else(|| format!("`{name}` has no member `{member}`"))?;
            let union = ident(name);
            let variant = ident(&field.rust_name);
            match &field.ty.kind {
                TyKind::Unit => quote!(#types::#union::#variant),
                kind => {
                    let value = value_tokens(service, types, kind, member_value)?;
                    let value = if field.boxed { quote!(::std::boxed::Box::new(#value)) } else { value };
                    quote!(#types::#union::#variant(#value))
                }
            }
        }
        TyKind::Timestamp(_) | TyKind::Blob | TyKind::BigInteger | TyKind::BigDecimal | TyKind::Unit => {
            return Err(format!("a value of this kind ({json}) is not supported in generated endpoint tests"))
        }
    })
}
