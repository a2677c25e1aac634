//! The endpoint rules engine of the generated crates, compiled into the generator as well, and the
//! checks of a model's endpoint tests against it.
//!
//! The loader parses every `smithy.rules#endpointRuleSet` with the very evaluator a generated crate
//! runs (`codegen/runtime/src/endpoint.rs` and its helpers), so a rule set the generator accepts is one
//! the crate can evaluate, and a broken one is reported with its file and JSON path at generation
//! time. The partition table the crates embed lives here too, and so do the partition facts the
//! models' endpoint tests were written against ([`PARTITION_OVERRIDES_JSON`]), with [`check_case`],
//! which decides for each `smithy.rules#endpointTests` case which table its generated test runs with.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

#[path = "../runtime/src/endpoint.rs"]
pub mod endpoint;
#[path = "../runtime/src/endpoint_functions.rs"]
pub mod endpoint_functions;
#[path = "../runtime/src/partitions.rs"]
pub mod partitions;
// The rule set and partition parsers read their JSON text with the runtime's reader; its writers and
// typed readers serve the generated crates only.
#[path = "../runtime/src/json.rs"]
#[allow(dead_code)]
mod json;

use endpoint::{Endpoint, ParamValue, Params, ResolveError, RuleSet};
use partitions::Partitions;

/// One case of `smithy.rules#endpointTests`: parameter values and the endpoint or error they give.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointTestCase {
    /// What the case is about, as the model describes it.
    pub documentation: Option<String>,
    /// Parameter values by name, in model order.
    pub params: Vec<(String, ParamValue)>,
    /// Operation calls that lead to the same parameters through built-ins and operation input.
    pub operation_inputs: Vec<EndpointOperationInput>,
    /// The expected outcome.
    pub expect: EndpointExpectation,
    /// Where the case sits in the file.
    pub json_path: String,
}

/// An operation call of an endpoint test case (`operationInputs`).
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointOperationInput {
    /// The operation's name (`ListTables`).
    pub operation_name: String,
    /// The operation's input as JSON, keyed by member name.
    pub operation_params: Map<String, Value>,
    /// Built-in values by built-in name (`AWS::Region`).
    pub built_in_params: Vec<(String, ParamValue)>,
    /// Client configuration values by parameter name.
    pub client_params: Vec<(String, ParamValue)>,
}

/// What an endpoint test case expects.
#[derive(Debug, Clone, PartialEq)]
pub enum EndpointExpectation {
    /// A resolved endpoint.
    Endpoint {
        /// The URL.
        url: String,
        /// Headers by name (empty when the case names none).
        headers: BTreeMap<String, Vec<String>>,
        /// Properties (empty when the case names none).
        properties: Map<String, Value>,
    },
    /// A rule-set error with this message.
    Error(String),
}

/// AWS's partition table (botocore's `botocore/data/partitions.json`), as checked in under
/// `codegen/data/`; every generated crate with endpoint rules carries a copy.
pub const PARTITIONS_JSON: &str = partitions::AWS_PARTITIONS_JSON;

/// `codegen/data/endpoint-test-partition-overrides.json`: partition facts the AWS models' endpoint
/// tests assume where the published table has since changed. Only the models' own endpoint tests
/// use them (see that file's `documentation`), never a generated client.
pub const PARTITION_OVERRIDES_JSON: &str = include_str!("../data/endpoint-test-partition-overrides.json");

/// One partition fact put back for the models' endpoint tests.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionOverride {
    /// The partition's `id` (`aws-iso`).
    pub partition: String,
    /// The output (`supportsDualStack`).
    pub output: String,
    /// The value the tests assume.
    pub value: Value,
}

/// The overrides of [`PARTITION_OVERRIDES_JSON`].
pub fn partition_overrides() -> Result<Vec<PartitionOverride>, String> {
    let document: Value = serde_json::from_str(PARTITION_OVERRIDES_JSON).map_err(|e| format!("not JSON: {e}"))?;
    let entries = document.get("overrides").and_then(Value::as_array).ok_or("no `overrides` array")?;
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let text = |key: &str| {
                entry
                    .get(key)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or(format!("overrides[{i}] has no `{key}`"))
            };
            let value = entry.get("value").cloned().ok_or(format!("overrides[{i}] has no `value`"))?;
            Ok(PartitionOverride { partition: text("partition")?, output: text("output")?, value })
        })
        .collect()
}

/// The partition table `table_json` with `overrides` applied; each must name an output the
/// partition has, of the same JSON type.
pub fn with_overrides(table_json: &str, overrides: &[PartitionOverride]) -> Result<Partitions, String> {
    let mut table: Value = serde_json::from_str(table_json).map_err(|e| format!("not JSON: {e}"))?;
    for fact in overrides {
        let partition = table
            .get_mut("partitions")
            .and_then(Value::as_array_mut)
            .and_then(|all| all.iter_mut().find(|p| p.get("id").and_then(Value::as_str) == Some(&fact.partition)))
            .ok_or(format!("the table has no partition `{}`", fact.partition))?;
        let output = partition
            .get_mut("outputs")
            .and_then(|outputs| outputs.get_mut(&fact.output))
            .ok_or(format!("partition `{}` has no output `{}`", fact.partition, fact.output))?;
        if std::mem::discriminant(output) != std::mem::discriminant(&fact.value) {
            return Err(format!("`{}` of `{}` is not of the override's type", fact.output, fact.partition));
        }
        *output = fact.value.clone();
    }
    Partitions::from_json(&table).map_err(|e| e.to_string())
}

/// The two tables a model's endpoint tests are checked with.
#[derive(Debug, Clone)]
pub struct TestTables {
    /// The published table the crates embed.
    pub published: Partitions,
    /// The published table with the overrides put back.
    pub model_era: Partitions,
    /// The overrides.
    pub overrides: Vec<PartitionOverride>,
}

impl TestTables {
    /// The checked-in table and overrides; both are parsed by the generator's own tests, so a
    /// failure here is a broken checkout.
    pub fn checked_in() -> Result<TestTables, String> {
        let published = Partitions::parse(PARTITIONS_JSON).map_err(|e| e.to_string())?;
        let overrides = partition_overrides()?;
        let model_era = with_overrides(PARTITIONS_JSON, &overrides)?;
        Ok(TestTables { published, model_era, overrides })
    }
}

/// [`TestTables::checked_in`], loaded once per process.
///
/// # Panics
///
/// When the checked-in table or overrides are broken, which the generator's tests rule out.
pub fn checked_in_tables() -> &'static TestTables {
    static TABLES: std::sync::OnceLock<TestTables> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        TestTables::checked_in()
            .unwrap_or_else(|e| panic!("codegen/data: the checked-in partition data is broken: {e}"))
    })
}

/// Which table a case gives its expected outcome with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseTable {
    /// The published table.
    Published,
    /// Only the published table with the overrides put back.
    ModelEra,
}

/// Resolves `params` and compares the outcome with the case's expectation: the table it holds
/// with (the published one first), or what differs from it with the published table.
pub fn check_case(
    rules: &RuleSet,
    tables: &TestTables,
    params: &Params,
    expect: &EndpointExpectation,
) -> Result<CaseTable, String> {
    let Some(problem) = mismatch(expect, &rules.resolve(params, &tables.published)) else {
        return Ok(CaseTable::Published);
    };
    match mismatch(expect, &rules.resolve(params, &tables.model_era)) {
        None => Ok(CaseTable::ModelEra),
        Some(_) => Err(problem),
    }
}

/// The case's own `params`, by name.
pub fn case_params(case: &EndpointTestCase) -> Params {
    let mut params = Params::new();
    for (name, value) in &case.params {
        params.set(name.clone(), value.clone());
    }
    params
}

/// How one resolution differs from the expectation; `None` when it gives exactly what is expected
/// (the URL, headers and properties, or the rule error's message).
pub fn mismatch(expect: &EndpointExpectation, got: &Result<Endpoint, ResolveError>) -> Option<String> {
    match (expect, got) {
        (EndpointExpectation::Endpoint { url, headers, properties }, Ok(endpoint)) => {
            let mut problems = Vec::new();
            if endpoint.url() != url {
                problems.push(format!("url {:?}, expected {url:?}", endpoint.url()));
            }
            if endpoint.headers() != headers {
                problems.push(format!("headers {:?}, expected {headers:?}", endpoint.headers()));
            }
            if endpoint.properties() != properties {
                problems.push(format!(
                    "properties {}, expected {}",
                    Value::Object(endpoint.properties().clone()),
                    Value::Object(properties.clone())
                ));
            }
            (!problems.is_empty()).then(|| problems.join("; "))
        }
        (EndpointExpectation::Endpoint { url, .. }, Err(e)) => {
            Some(format!("error {e:?}, expected the endpoint {url}"))
        }
        (EndpointExpectation::Error(message), Err(ResolveError::Rule(got))) if got == message => None,
        (EndpointExpectation::Error(message), Err(e)) => {
            Some(format!("error {e:?}, expected the rule error {message:?}"))
        }
        (EndpointExpectation::Error(message), Ok(endpoint)) => {
            Some(format!("endpoint {}, expected the error {message:?}", endpoint.url()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::partitions::Partitions;
    use super::*;

    /// The table as published parses (every region pattern is in the matcher's dialect) and puts the
    /// regions of each partition where AWS documents them.
    #[test]
    fn the_checked_in_partition_table_parses_and_places_regions() {
        let table = Partitions::parse(PARTITIONS_JSON).unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&str> = table.ids().collect();
        for id in ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"] {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
        let cases = [
            ("us-east-1", "aws", "amazonaws.com"),
            ("ap-southeast-7", "aws", "amazonaws.com"),
            ("us-west-9", "aws", "amazonaws.com"),
            ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
            ("cn-south-7", "aws-cn", "amazonaws.com.cn"),
            ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
            ("us-iso-east-1", "aws-iso", "c2s.ic.gov"),
            ("us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov"),
            ("eu-isoe-west-1", "aws-iso-e", "cloud.adc-e.uk"),
            ("us-isof-south-1", "aws-iso-f", "csp.hci.ic.gov"),
            ("eusc-de-east-1", "aws-eusc", "amazonaws.eu"),
            ("aws-global", "aws", "amazonaws.com"),
            ("local", "aws", "amazonaws.com"),
        ];
        for (region, partition, suffix) in cases {
            let outputs = table.lookup(region);
            assert_eq!((outputs.name(), outputs.dns_suffix()), (partition, suffix), "{region}");
            assert!(outputs.supports_fips(), "{region}");
        }
        assert_eq!(table.lookup("cn-north-1").dual_stack_dns_suffix(), "api.amazonwebservices.com.cn");
        assert_eq!(table.lookup("us-gov-east-1").implicit_global_region(), Some("us-gov-west-1"));
    }

    #[test]
    fn overrides_change_exactly_the_facts_they_name() {
        let tables = TestTables::checked_in().unwrap_or_else(|e| panic!("{e}"));
        assert!(!tables.overrides.is_empty());
        for fact in &tables.overrides {
            let region = match fact.partition.as_str() {
                "aws-iso" => "us-iso-east-1",
                "aws-iso-b" => "us-isob-east-1",
                "aws-iso-e" => "eu-isoe-west-1",
                "aws-iso-f" => "us-isof-south-1",
                other => panic!("no test region for {other}"),
            };
            let published = tables.published.lookup(region);
            let model_era = tables.model_era.lookup(region);
            assert_eq!(model_era.name(), fact.partition);
            assert_ne!(published.values().get(&fact.output), model_era.values().get(&fact.output), "{fact:?}");
        }
        assert_eq!(tables.published.lookup("us-east-1"), tables.model_era.lookup("us-east-1"));
        let unknown = PartitionOverride { partition: "nope".into(), output: "name".into(), value: Value::Bool(true) };
        assert!(with_overrides(PARTITIONS_JSON, &[unknown]).unwrap_err().contains("no partition `nope`"));
        let wrong_type =
            PartitionOverride { partition: "aws".into(), output: "supportsFIPS".into(), value: Value::from("yes") };
        assert!(with_overrides(PARTITIONS_JSON, &[wrong_type]).unwrap_err().contains("type"));
    }
}
