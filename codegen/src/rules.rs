//! The endpoint rules engine of the generated crates, compiled into the generator as well.
//!
//! The loader parses every `smithy.rules#endpointRuleSet` with the very evaluator a generated crate
//! runs (`codegen/runtime/endpoint.rs` and its helpers), so a rule set the generator accepts is one
//! the crate can evaluate, and a broken one is reported with its file and JSON path at generation
//! time. The partition table the crates embed lives here too.

#[path = "../runtime/endpoint.rs"]
pub mod endpoint;
#[path = "../runtime/endpoint_functions.rs"]
pub mod endpoint_functions;
#[path = "../runtime/partitions.rs"]
pub mod partitions;

/// AWS's partition table (botocore's `botocore/data/partitions.json`), as checked in under
/// `codegen/data/`; every generated crate with endpoint rules carries a copy.
pub const PARTITIONS_JSON: &str = include_str!("../data/partitions.json");

#[cfg(test)]
mod tests {
    use super::partitions::Partitions;
    use super::PARTITIONS_JSON;

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
}
