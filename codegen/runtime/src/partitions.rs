//! AWS partitions for the endpoint rules' `aws.partition` function: the published partition table,
//! parsed once, and the lookup of a region in it.
//!
//! The table is AWS's own `partitions.json` (the copy botocore ships), kept as data: the generator
//! embeds it in the crate unchanged and [`Partitions::parse`] reads it when the first client is built.
//! A region is looked up the way the AWS SDKs do it: a partition that lists the region by name wins,
//! then the first partition whose `regionRegex` matches it, and otherwise the `aws` partition, so a
//! region newer than the table still gets the commercial DNS suffixes.
//!
//! The region patterns ([`RegionPattern`]) are compiled with `regex-lite` when the table is parsed,
//! once per table (each table is parsed once, behind a `OnceLock`), and matched in time linear in
//! the region's length. `regex-lite` is small, has no dependencies and no Unicode tables (`\d` and
//! `\w` are ASCII, as in the table's patterns), and is the crate's `@pattern` engine where a model
//! uses regex-lite, so those crates build no second engine. A pattern it does not accept is refused
//! when the table is parsed, naming the partition, so a table update that needs more fails loudly in
//! the generator's tests instead of matching wrongly.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

/// AWS's partition table as this crate ships it (`data/partitions.json`), which every client looks
/// regions up in (the endpoint rules, STS, the plain endpoint pattern).
pub const AWS_PARTITIONS_JSON: &str = include_str!("../data/partitions.json");

/// The outputs every partition must define, with their JSON types (`true` for booleans).
const REQUIRED_OUTPUTS: &[(&str, bool)] = &[
    ("name", false),
    ("dnsSuffix", false),
    ("dualStackDnsSuffix", false),
    ("supportsFIPS", true),
    ("supportsDualStack", true),
];

/// The partition a region that matches nothing falls back to.
const FALLBACK_PARTITION: &str = "aws";

/// A partition table that could not be read: where in it, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionsError {
    /// The JSON path inside the table (`partitions[2].regionRegex`); empty for the whole document.
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for PartitionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "partition table: {}", self.message)
        } else {
            write!(f, "partition table: at {}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for PartitionsError {}

/// One output value of a partition: the table holds only strings and booleans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputValue {
    /// A string output (`dnsSuffix`).
    String(String),
    /// A boolean output (`supportsFIPS`).
    Bool(bool),
}

/// What `aws.partition` returns for a region: the partition's outputs, with the region's own
/// overrides applied. Keys are the table's (`name`, `dnsSuffix`, `dualStackDnsSuffix`,
/// `supportsFIPS`, `supportsDualStack`, `implicitGlobalRegion`, and any the table adds later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionOutputs {
    values: BTreeMap<String, OutputValue>,
}

impl PartitionOutputs {
    /// Every output by name.
    pub fn values(&self) -> &BTreeMap<String, OutputValue> {
        &self.values
    }

    /// One string output, if the partition has it.
    pub fn string(&self, key: &str) -> Option<&str> {
        match self.values.get(key) {
            Some(OutputValue::String(s)) => Some(s),
            _ => None,
        }
    }

    /// One boolean output, if the partition has it.
    pub fn flag(&self, key: &str) -> Option<bool> {
        match self.values.get(key) {
            Some(OutputValue::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// The partition's name (`aws`, `aws-cn`, `aws-us-gov`).
    pub fn name(&self) -> &str {
        self.string("name").unwrap_or_default()
    }

    /// The DNS suffix of the partition's endpoints (`amazonaws.com`).
    pub fn dns_suffix(&self) -> &str {
        self.string("dnsSuffix").unwrap_or_default()
    }

    /// The DNS suffix of its dual-stack (IPv4 and IPv6) endpoints (`api.aws`).
    pub fn dual_stack_dns_suffix(&self) -> &str {
        self.string("dualStackDnsSuffix").unwrap_or_default()
    }

    /// Whether the partition has FIPS 140 endpoints.
    pub fn supports_fips(&self) -> bool {
        self.flag("supportsFIPS").unwrap_or(false)
    }

    /// Whether the partition has dual-stack endpoints.
    pub fn supports_dual_stack(&self) -> bool {
        self.flag("supportsDualStack").unwrap_or(false)
    }

    /// The region that global services of the partition are signed for (`us-east-1` in `aws`).
    pub fn implicit_global_region(&self) -> Option<&str> {
        self.string("implicitGlobalRegion")
    }
}

#[derive(Debug, Clone)]
struct Partition {
    id: String,
    region_pattern: RegionPattern,
    /// Regions the table names, each with the outputs it overrides (usually none).
    regions: BTreeMap<String, BTreeMap<String, OutputValue>>,
    outputs: BTreeMap<String, OutputValue>,
}

/// The parsed partition table.
#[derive(Debug, Clone)]
pub struct Partitions {
    partitions: Vec<Partition>,
    /// Index of the `aws` partition in `partitions`.
    fallback: usize,
}

impl Partitions {
    /// Parses the table from its JSON text.
    pub fn parse(json: &str) -> Result<Partitions, PartitionsError> {
        let document: Value = serde_json::from_str(json)
            .map_err(|e| PartitionsError { path: String::new(), message: format!("not valid JSON: {e}") })?;
        Partitions::from_json(&document)
    }

    /// Reads the table from a parsed JSON document.
    pub fn from_json(document: &Value) -> Result<Partitions, PartitionsError> {
        let error = |path: String, message: String| PartitionsError { path, message };
        let list = document
            .get("partitions")
            .and_then(Value::as_array)
            .ok_or_else(|| error(String::new(), "expected an object with a `partitions` array".to_string()))?;
        let mut partitions = Vec::with_capacity(list.len());
        for (i, entry) in list.iter().enumerate() {
            let at = format!("partitions[{i}]");
            let id = entry
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| error(at.clone(), "missing the string `id`".to_string()))?
                .to_string();
            let regex = entry
                .get("regionRegex")
                .and_then(Value::as_str)
                .ok_or_else(|| error(at.clone(), "missing the string `regionRegex`".to_string()))?;
            let region_pattern =
                RegionPattern::parse(regex).map_err(|message| error(format!("{at}.regionRegex"), message))?;
            let outputs =
                entry.get("outputs").ok_or_else(|| error(at.clone(), "missing the object `outputs`".to_string()))?;
            let outputs = output_values(outputs, &format!("{at}.outputs"))?;
            for (key, is_bool) in REQUIRED_OUTPUTS {
                match outputs.get(*key) {
                    Some(OutputValue::Bool(_)) if *is_bool => {}
                    Some(OutputValue::String(_)) if !*is_bool => {}
                    _ => {
                        let kind = if *is_bool { "boolean" } else { "string" };
                        return Err(error(format!("{at}.outputs"), format!("missing the {kind} `{key}`")));
                    }
                }
            }
            let mut regions = BTreeMap::new();
            if let Some(listed) = entry.get("regions") {
                let listed = listed
                    .as_object()
                    .ok_or_else(|| error(format!("{at}.regions"), "expected an object".to_string()))?;
                for (region, body) in listed {
                    let region_at = format!("{at}.regions.{region:?}");
                    let body =
                        body.as_object().ok_or_else(|| error(region_at.clone(), "expected an object".to_string()))?;
                    // A region entry also carries a description; only keys the partition outputs
                    // override anything.
                    let mut overrides = BTreeMap::new();
                    for (key, value) in body {
                        if outputs.contains_key(key) {
                            overrides.insert(key.clone(), output_value(value, &format!("{region_at}.{key}"))?);
                        }
                    }
                    regions.insert(region.clone(), overrides);
                }
            }
            partitions.push(Partition { id, region_pattern, regions, outputs });
        }
        let fallback = partitions.iter().position(|p| p.id == FALLBACK_PARTITION).ok_or_else(|| {
            error("partitions".to_string(), format!("no `{FALLBACK_PARTITION}` partition to fall back to"))
        })?;
        Ok(Partitions { partitions, fallback })
    }

    /// The partition of `region`: the one that lists it, else the first whose pattern matches it,
    /// else `aws`.
    pub fn lookup(&self, region: &str) -> PartitionOutputs {
        let listed = self.partitions.iter().find_map(|p| p.regions.get(region).map(|overrides| (p, Some(overrides))));
        let (partition, overrides) = listed
            .or_else(|| self.partitions.iter().find(|p| p.region_pattern.is_match(region)).map(|p| (p, None)))
            .unwrap_or((&self.partitions[self.fallback], None));
        let mut values = partition.outputs.clone();
        if let Some(overrides) = overrides {
            values.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        PartitionOutputs { values }
    }

    /// The IDs of the partitions, in table order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.partitions.iter().map(|p| p.id.as_str())
    }
}

fn output_values(value: &Value, at: &str) -> Result<BTreeMap<String, OutputValue>, PartitionsError> {
    let object = value
        .as_object()
        .ok_or_else(|| PartitionsError { path: at.to_string(), message: "expected an object".to_string() })?;
    object.iter().map(|(key, value)| Ok((key.clone(), output_value(value, &format!("{at}.{key}"))?))).collect()
}

fn output_value(value: &Value, at: &str) -> Result<OutputValue, PartitionsError> {
    match value {
        Value::String(s) => Ok(OutputValue::String(s.clone())),
        Value::Bool(b) => Ok(OutputValue::Bool(*b)),
        _ => Err(PartitionsError { path: at.to_string(), message: "expected a string or a boolean".to_string() }),
    }
}

/// A partition's `regionRegex`, compiled once, when the table is parsed.
#[derive(Debug, Clone)]
pub struct RegionPattern {
    regex: regex_lite::Regex,
}

/// The most memory one compiled region pattern may take. The table's patterns need a few kilobytes;
/// the limit keeps a table with a huge pattern an error rather than a large allocation.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

impl RegionPattern {
    /// Compiles a pattern; the error says what in it regex-lite does not accept.
    pub fn parse(source: &str) -> Result<RegionPattern, String> {
        regex_lite::RegexBuilder::new(source)
            .size_limit(PATTERN_SIZE_LIMIT)
            .build()
            .map(|regex| RegionPattern { regex })
            .map_err(|e| format!("`{source}` is not a regular expression regex-lite accepts: {e}"))
    }

    /// Whether `text` matches (anywhere, unless the pattern is anchored).
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A two-partition table shaped like AWS's, with one region that overrides an output.
    const TABLE: &str = r#"{
        "partitions": [
            {
                "id": "aws",
                "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
                "regions": { "aws-global": { "description": "global" }, "us-east-1": {} },
                "outputs": {
                    "name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                    "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "us-east-1"
                }
            },
            {
                "id": "aws-us-gov",
                "regionRegex": "^us\\-gov\\-\\w+\\-\\d+$",
                "regions": { "us-gov-west-1": { "supportsDualStack": false, "description": "West" }, "us-gov-1": {} },
                "outputs": {
                    "name": "aws-us-gov", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                    "supportsFIPS": true, "supportsDualStack": true
                }
            }
        ],
        "version": "1.1"
    }"#;

    #[test]
    fn a_listed_region_wins_over_an_earlier_pattern() {
        let table = Partitions::parse(TABLE).unwrap();
        // `us-gov-1` matches the aws pattern, but aws-us-gov lists it.
        assert_eq!(table.lookup("us-gov-1").name(), "aws-us-gov");
        let gov = table.lookup("us-gov-west-1");
        assert_eq!(gov.name(), "aws-us-gov");
        assert!(!gov.supports_dual_stack(), "the region's own override applies");
        assert_eq!(gov.string("description"), None, "descriptions are not outputs");
        assert_eq!(table.lookup("aws-global").name(), "aws");
    }

    #[test]
    fn unlisted_regions_go_by_pattern_then_fall_back_to_aws() {
        let table = Partitions::parse(TABLE).unwrap();
        let by_pattern = table.lookup("us-gov-east-9");
        assert_eq!((by_pattern.name(), by_pattern.supports_dual_stack()), ("aws-us-gov", true));
        assert_eq!(table.lookup("eu-west-7").name(), "aws");
        let unknown = table.lookup("mars-global");
        assert_eq!(unknown.name(), "aws");
        assert_eq!(unknown.dns_suffix(), "amazonaws.com");
        assert_eq!(unknown.dual_stack_dns_suffix(), "api.aws");
        assert!(unknown.supports_fips());
        assert_eq!(unknown.implicit_global_region(), Some("us-east-1"));
        assert_eq!(table.ids().collect::<Vec<_>>(), ["aws", "aws-us-gov"]);
    }

    #[test]
    fn malformed_tables_say_where() {
        let cases = [
            ("[]", "", "a `partitions` array"),
            (r#"{"partitions": [{"regionRegex": "^a$", "outputs": {}}]}"#, "partitions[0]", "`id`"),
            (
                r#"{"partitions": [{"id": "aws", "regionRegex": "^(?=a)$", "outputs": {}}]}"#,
                "partitions[0].regionRegex",
                "not a regular expression",
            ),
            (
                r#"{"partitions": [{"id": "aws", "regionRegex": "^a$", "outputs": {"name": "aws"}}]}"#,
                "partitions[0].outputs",
                "`dnsSuffix`",
            ),
            (
                r#"{"partitions": [{"id": "aws", "regionRegex": "^a$", "outputs": {"name": 1}}]}"#,
                "partitions[0].outputs.name",
                "a string or a boolean",
            ),
        ];
        for (json, path, message) in cases {
            let error = Partitions::parse(json).unwrap_err();
            assert_eq!(error.path, path, "{json}");
            assert!(error.message.contains(message), "{json}: {error}");
        }
        let no_aws = TABLE.replace("\"id\": \"aws\",", "\"id\": \"aws-other\",");
        assert!(Partitions::parse(&no_aws).unwrap_err().message.contains("no `aws` partition"));
        assert!(Partitions::parse("{").unwrap_err().message.starts_with("not valid JSON"));
    }

    #[test]
    fn region_patterns_match_like_regular_expressions() {
        let matches = |pattern: &str, text: &str| RegionPattern::parse(pattern).unwrap().is_match(text);
        let aws = r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$";
        assert!(matches(aws, "us-east-1"));
        assert!(matches(aws, "mx-central-10"));
        assert!(!matches(aws, "us-gov-west-1"), "\\w does not match a hyphen");
        assert!(!matches(aws, "us-gov-west"));
        assert!(!matches(aws, "cn-north-1"));
        assert!(!matches(aws, "xus-east-1"));
        assert!(!matches(aws, "us-east-1x"));
        assert!(!matches(aws, "us--1"));
        assert!(matches(r"^eusc\-(de)\-\w+\-\d+$", "eusc-de-east-1"));
        assert!(!matches(r"^eusc\-(de)\-\w+\-\d+$", "eusc-fr-east-1"));
        // Unanchored patterns search; classes, ranges, negation and counted repetition.
        assert!(matches(r"east", "us-east-1"));
        assert!(matches(r"^[a-c]{2,3}[^0-9]$", "abcx"));
        assert!(!matches(r"^[a-c]{2,3}[^0-9]$", "abc1"));
        assert!(!matches(r"^[a-c]{2,3}$", "abca"));
        assert!(matches(r"^a|b$", "b"));
        assert!(matches(r"^x?y*z+$", "zz"));
        assert!(matches(r"^a.c\s[\w-]+$", "abc foo-bar"));
        assert!(matches(r"^$", ""));
        // Beyond the table's needs, regular expressions as regex-lite reads them.
        assert!(matches(r"^(ab)+$", "abab"));
        assert!(!matches(r"^(ab)+$", "aba"));
        assert!(matches(r"^(?:us|eu)\-\d+$", "eu-7"));
    }

    #[test]
    fn the_published_table_puts_regions_in_their_partitions() {
        let table = Partitions::parse(AWS_PARTITIONS_JSON).unwrap();
        for (region, partition) in [
            ("us-east-1", "aws"),
            ("mx-central-9", "aws"),
            ("cn-northwest-7", "aws-cn"),
            ("us-gov-east-5", "aws-us-gov"),
            ("us-iso-west-4", "aws-iso"),
            ("us-isob-east-3", "aws-iso-b"),
            ("eu-isoe-west-2", "aws-iso-e"),
            ("us-isof-south-8", "aws-iso-f"),
            ("eusc-de-east-4", "aws-eusc"),
            ("xx-nowhere-1", "aws"),
        ] {
            assert_eq!(table.lookup(region).name(), partition, "{region}");
        }
    }

    #[test]
    fn patterns_regex_lite_does_not_accept_are_refused() {
        for pattern in ["(unclosed", "[unclosed", r"a{2", r"[z-a]", "*a", "a)", r"^(?=a)", r"\p{Greek}"] {
            let error = RegionPattern::parse(pattern).unwrap_err();
            assert!(error.contains(pattern), "{pattern}: {error}");
        }
        let huge = format!("^({})$", "a{1000}".repeat(1000));
        assert!(RegionPattern::parse(&huge).is_err(), "a pattern past the size limit is refused");
    }

    #[test]
    fn matching_stays_fast_on_long_hostile_input() {
        let pattern = RegionPattern::parse(r"^(us|eu)\-\w+\-\d+$").unwrap();
        let long = format!("us-{}", "a-".repeat(20_000));
        assert!(!pattern.is_match(&long));
        let unanchored = RegionPattern::parse(r"\w+\-\d+$").unwrap();
        assert!(!unanchored.is_match(&"a".repeat(2_000)));
    }
}
