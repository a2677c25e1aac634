//! AWS partitions for the endpoint rules' `aws.partition` function: the published partition table,
//! parsed once, and the lookup of a region in it.
//!
//! The table is AWS's own `partitions.json` (the copy botocore ships), kept as data: the generator
//! embeds it in the crate unchanged and [`Partitions::parse`] reads it when the first client is built.
//! A region is looked up the way the AWS SDKs do it: a partition that lists the region by name wins,
//! then the first partition whose `regionRegex` matches it, and otherwise the `aws` partition, so a
//! region newer than the table still gets the commercial DNS suffixes.
//!
//! The region patterns ([`RegionPattern`]) are compiled when the table is parsed, once per table
//! (each table is parsed once, behind a `OnceLock`), and matched in time linear in the region's
//! length, by a matcher that reads only the few constructs the table's patterns use (`\w` and `\d`
//! are ASCII, as there): a full regular-expression engine would be most of a job worker's endpoint
//! code. A pattern it does not read is refused when the table is parsed, naming the partition, so a
//! table update that needs more fails loudly in the generator's tests instead of matching wrongly.

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
        let document = super::json::from_slice(json.as_bytes())
            .map_err(|e| PartitionsError { path: String::new(), message: e.to_string() })?;
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
///
/// The table's patterns use a small part of regular-expression syntax: anchors, literal characters
/// (punctuation escaped), `\w` and `\d` with or without `+`, and a group of literal alternatives
/// (`^(us|eu|ap)\-\w+\-\d+$`). That part is all this matcher reads; anything else is refused with
/// the position, so a table that needs more fails the generator's tests rather than matching wrongly.
/// A full engine would cost a job worker's binary about 90 KB for these eight patterns.
#[derive(Debug, Clone)]
pub struct RegionPattern {
    anchored_start: bool,
    anchored_end: bool,
    pieces: Vec<Piece>,
}

/// One step of a [`RegionPattern`].
#[derive(Debug, Clone)]
enum Piece {
    /// One character of `class`, or with `repeat` a run of one or more.
    Class { class: CharClass, repeat: bool },
    /// Exactly one of these strings (`(us|eu)`).
    Alternatives(Vec<String>),
}

/// The characters one step of a pattern accepts: ASCII, as in the table's patterns.
#[derive(Debug, Clone, Copy)]
enum CharClass {
    /// `\w`: ASCII letters, digits and `_`.
    Word,
    /// `\d`: ASCII digits.
    Digit,
    /// One literal ASCII character.
    Literal(u8),
}

impl CharClass {
    fn accepts(self, byte: u8) -> bool {
        match self {
            CharClass::Word => byte.is_ascii_alphanumeric() || byte == b'_',
            CharClass::Digit => byte.is_ascii_digit(),
            CharClass::Literal(literal) => byte == literal,
        }
    }
}

/// Characters that mean something in a regular expression; escaped, they stand for themselves.
const SYNTAX_CHARACTERS: &[u8] = b"\\.+*?()|[]{}^$-/";

impl RegionPattern {
    /// Compiles a pattern; the error names the first construct, by byte offset, that this matcher
    /// does not read.
    pub fn parse(source: &str) -> Result<RegionPattern, String> {
        let refuse = |at: usize, what: &str| {
            format!("`{source}` is not a region pattern this crate matches: {what} at byte {at}")
        };
        let bytes = source.as_bytes();
        let anchored_start = bytes.first() == Some(&b'^');
        let mut i = usize::from(anchored_start);
        let mut end = bytes.len();
        // A `$` ends the pattern unless it is escaped (an odd number of backslashes before it).
        let anchored_end = bytes.len() > i
            && bytes[end - 1] == b'$'
            && bytes[i..end - 1].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0;
        if anchored_end {
            end -= 1;
        }
        let mut pieces = Vec::new();
        while i < end {
            match bytes[i] {
                b'(' => {
                    let mut alternatives = vec![String::new()];
                    i += 1;
                    loop {
                        match bytes.get(i).filter(|_| i < end) {
                            None => return Err(refuse(i, "an unclosed group")),
                            Some(b')') => break,
                            Some(b'|') => alternatives.push(String::new()),
                            Some(_) => {
                                let (class, next) = Self::atom(bytes, i).map_err(|what| refuse(i, what))?;
                                let CharClass::Literal(byte) = class else {
                                    return Err(refuse(i, "a class inside a group"));
                                };
                                if bytes.get(next).is_some_and(|b| b"+*?{".contains(b)) {
                                    return Err(refuse(next, "a repetition inside a group"));
                                }
                                if let Some(current) = alternatives.last_mut() {
                                    current.push(char::from(byte));
                                }
                                i = next;
                                continue;
                            }
                        }
                        i += 1;
                    }
                    i += 1;
                    if bytes.get(i).is_some_and(|b| b"+*?{".contains(b)) && i < end {
                        return Err(refuse(i, "a repeated group"));
                    }
                    pieces.push(Piece::Alternatives(alternatives));
                }
                _ => {
                    let (class, next) = Self::atom(bytes, i).map_err(|what| refuse(i, what))?;
                    let repeat = next < end && bytes[next] == b'+';
                    pieces.push(Piece::Class { class, repeat });
                    i = next + usize::from(repeat);
                    if i < end && b"+*?{".contains(&bytes[i]) {
                        return Err(refuse(i, "a repetition other than one `+`"));
                    }
                }
            }
        }
        Ok(RegionPattern { anchored_start, anchored_end, pieces })
    }

    /// The character class at `bytes[i]` and the offset after it.
    fn atom(bytes: &[u8], i: usize) -> Result<(CharClass, usize), &'static str> {
        match bytes[i] {
            b'\\' => match bytes.get(i + 1) {
                Some(b'w') => Ok((CharClass::Word, i + 2)),
                Some(b'd') => Ok((CharClass::Digit, i + 2)),
                Some(&b) if SYNTAX_CHARACTERS.contains(&b) => Ok((CharClass::Literal(b), i + 2)),
                Some(_) => Err("an escape other than `\\w`, `\\d` or escaped punctuation"),
                None => Err("a trailing backslash"),
            },
            b if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' => Ok((CharClass::Literal(b), i + 1)),
            _ => Err("a construct other than literals, `\\w`, `\\d`, `+` and a group of alternatives"),
        }
    }

    /// Whether `text` matches (anywhere, unless the pattern is anchored). Linear in the text's length
    /// for each step of the pattern: the set of offsets each step can end at is carried forward.
    pub fn is_match(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let mut reached = vec![!self.anchored_start; bytes.len() + 1];
        reached[0] = true;
        for piece in &self.pieces {
            let mut next = vec![false; bytes.len() + 1];
            match piece {
                Piece::Class { class, repeat: false } => {
                    for (at, &byte) in bytes.iter().enumerate() {
                        next[at + 1] = reached[at] && class.accepts(byte);
                    }
                }
                Piece::Class { class, repeat: true } => {
                    let mut in_run = false;
                    for (at, &byte) in bytes.iter().enumerate() {
                        in_run = (in_run || reached[at]) && class.accepts(byte);
                        next[at + 1] = in_run;
                    }
                }
                Piece::Alternatives(alternatives) => {
                    for at in (0..=bytes.len()).filter(|&at| reached[at]) {
                        for alternative in alternatives {
                            if bytes[at..].starts_with(alternative.as_bytes()) {
                                next[at + alternative.len()] = true;
                            }
                        }
                    }
                }
            }
            reached = next;
        }
        if self.anchored_end {
            reached[bytes.len()]
        } else {
            reached.contains(&true)
        }
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
                "not a region pattern this crate matches",
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
        assert!(Partitions::parse("{").unwrap_err().message.contains("not valid JSON"));
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
        assert!(!matches(aws, "us-east-"));
        assert!(!matches(aws, "us-éast-1"), "\\w is ASCII");
        assert!(matches(r"^eusc\-(de)\-\w+\-\d+$", "eusc-de-east-1"));
        assert!(!matches(r"^eusc\-(de)\-\w+\-\d+$", "eusc-fr-east-1"));
        // A run that could end early must be allowed to: `\w+` gives back what `\d` needs.
        assert!(matches(r"^\w+\d$", "ab12"));
        assert!(!matches(r"^\w+\d$", "abc"));
        // Alternatives that share a prefix are all tried.
        assert!(matches(r"^(us|us\-iso)\-\d+$", "us-iso-3"));
        assert!(matches(r"^(us|us\-iso)\-\d+$", "us-3"));
        assert!(matches(r"^a(|b)c$", "ac"), "an empty alternative matches the empty string");
        // Unanchored patterns search; an escaped `$` is a literal.
        assert!(matches(r"east", "us-east-1"));
        assert!(matches(r"\d+$", "us-east-12"));
        assert!(!matches(r"^us", "eu-us-1"));
        assert!(matches(r"^a\$", "a$"));
        assert!(!matches(r"^a\$", "a"));
        assert!(matches(r"^a\\$", "a\\"));
        assert!(matches(r"^$", ""));
        assert!(!matches(r"^$", "a"));
        assert!(matches(r"", "anything"));
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
    fn patterns_beyond_the_tables_constructs_are_refused_with_their_position() {
        for (pattern, at) in [
            ("(unclosed", 9),
            ("[a-z]", 0),
            (r"a{2}", 1),
            ("a*", 1),
            ("a?", 1),
            ("a++", 2),
            ("a)", 1),
            ("^a|b$", 2),
            ("a.c", 1),
            (r"^(?=a)", 2),
            (r"^(a+)$", 3),
            (r"^(\w)$", 2),
            (r"^(ab)+$", 5),
            (r"\p{Greek}", 0),
            (r"\s", 0),
            ("a\\", 1),
            ("é", 0),
        ] {
            let error = RegionPattern::parse(pattern).unwrap_err();
            assert!(error.contains(&format!("`{pattern}`")), "{pattern}: {error}");
            assert!(error.ends_with(&format!("at byte {at}")), "{pattern}: {error}");
        }
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
