//! The string functions of the endpoint rules' standard library and its AWS extension, as plain Rust:
//! `isValidHostLabel`, `substring`, `uriEncode`, `parseURL`, `aws.parseArn` and
//! `aws.isVirtualHostableS3Bucket`.
//!
//! [`super::endpoint`] calls them while it evaluates a rule set; each one follows the Smithy rules
//! engine specification, including its edge cases (non-ASCII input, empty labels, URLs with a query).
//! `parseURL` is written here rather than on a URL crate because the rules need a narrower and
//! slightly different view than RFC 3986 parsers give: only `http` and `https`, no query, the path
//! exactly as written (an absent path stays empty, where `http::Uri` reports `/`), and the authority
//! with its port as written.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The longest label DNS allows.
const MAX_LABEL_LEN: usize = 63;

/// Whether `value` is a host label (`[A-Za-z0-9][A-Za-z0-9-]{0,62}`), or with `allow_subdomains`
/// a dot-separated sequence of them with no empty label.
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        value.split('.').all(|label| is_valid_host_label(label, false))
    } else {
        let bytes = value.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= MAX_LABEL_LEN
            && bytes[0].is_ascii_alphanumeric()
            && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    }
}

/// `input[start..stop]`, counted from the end when `reverse`; `None` when the input is not ASCII,
/// the range is empty or reversed, or the input is too short.
pub fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !input.is_ascii() || start < 0 || start >= stop {
        return None;
    }
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    let len = input.len();
    if stop > len {
        return None;
    }
    let (from, to) = if reverse { (len - stop, len - start) } else { (start, stop) };
    Some(input[from..to].to_string())
}

/// Percent-encodes every byte except RFC 3986's unreserved characters, with uppercase hex digits.
pub fn uri_encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

/// A URL as `parseURL` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`, lower case.
    pub scheme: String,
    /// Host and port as written (`example.com:8443`, `[fe80::1]`).
    pub authority: String,
    /// The path as written: empty when the URL has none.
    pub path: String,
    /// The path with a `/` at both ends (`/` when there is no path).
    pub normalized_path: String,
    /// Whether the host is an IPv4 or IPv6 address.
    pub is_ip: bool,
}

/// Splits an endpoint URL into the parts the rules use; `None` when it is not an `http` or `https`
/// URL, has a query or fragment, credentials, an empty host, a bad port, or characters no URL has.
pub fn parse_url(value: &str) -> Option<Url> {
    let (scheme, rest) = value.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.contains(['?', '#']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    let is_ip = host_is_ip(authority)?;
    let normalized_path = match path {
        "" => "/".to_string(),
        p if p.ends_with('/') => p.to_string(),
        p => format!("{p}/"),
    };
    Some(Url { scheme, authority: authority.to_string(), path: path.to_string(), normalized_path, is_ip })
}

/// Whether the authority's host is an IP address; `None` when the authority is not valid.
fn host_is_ip(authority: &str) -> Option<bool> {
    if authority.contains('@') {
        return None;
    }
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (inside, after) = bracketed.split_once(']')?;
        inside.parse::<Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            after => Some(after.strip_prefix(':')?),
        };
        (None, port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(authority), None),
        }
    };
    if let Some(port) = port {
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u16>().is_err() {
            return None;
        }
    }
    match host {
        None => Some(true),
        Some(host) => {
            let valid = !host.is_empty() && !host.contains(['[', ']', ':', '/', '\\', '%']);
            valid.then(|| host.parse::<Ipv4Addr>().is_ok())
        }
    }
}

/// An ARN as `aws.parseArn` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    /// `aws`, `aws-cn`, ...
    pub partition: String,
    /// The service namespace (`s3`).
    pub service: String,
    /// The region; empty for global resources.
    pub region: String,
    /// The account; empty for resources without one.
    pub account_id: String,
    /// The resource part, split on `:` and `/`.
    pub resource_id: Vec<String>,
}

/// Parses `arn:partition:service:region:account:resource`; `None` when the prefix is missing or the
/// partition, service or resource is empty.
pub fn parse_arn(value: &str) -> Option<Arn> {
    let mut parts = value.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let (partition, service, region, account_id, resource) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_string(),
        service: service.to_string(),
        region: region.to_string(),
        account_id: account_id.to_string(),
        resource_id: resource.split([':', '/']).map(str::to_string).collect(),
    })
}

/// Whether `value` can be an S3 bucket's virtual host: 3 to 63 lower-case letters, digits and
/// hyphens (and dots, with `allow_subdomains`), starting and ending with a letter or digit; with dots,
/// no empty label, no label starting or ending with a hyphen, and not shaped like an IPv4 address.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    let bytes = value.as_bytes();
    let allowed =
        |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-' || (allow_subdomains && *b == b'.');
    let edge_ok = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !(3..=MAX_LABEL_LEN).contains(&bytes.len())
        || !bytes.iter().all(allowed)
        || !edge_ok(bytes.first())
        || !edge_ok(bytes.last())
    {
        return false;
    }
    if !allow_subdomains {
        return true;
    }
    let ipv4_shaped = {
        let groups: Vec<&str> = value.split('.').collect();
        groups.len() == 4 && groups.iter().all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
    };
    !ipv4_shaped && !value.contains("..") && !value.contains(".-") && !value.contains("-.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_labels_follow_rfc_1123_segments() {
        for valid in ["us-east-1", "3aws4", "a", "A-", &"a".repeat(63)] {
            assert!(is_valid_host_label(valid, false), "{valid}");
        }
        for invalid in ["", "-a", "part1.part2", "part1 part2", "a_b", "é", &"a".repeat(64)] {
            assert!(!is_valid_host_label(invalid, false), "{invalid}");
        }
        assert!(is_valid_host_label("part1.part2", true));
        for invalid in ["part1.", ".part1", "part1..part2", "part1.-part2", ""] {
            assert!(!is_valid_host_label(invalid, true), "{invalid}");
        }
    }

    #[test]
    fn substring_counts_ascii_from_either_end() {
        assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcd", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("defg", 1, 3, false).as_deref(), Some("ef"));
        assert_eq!(substring("\u{7f}abcdef", 0, 4, false).as_deref(), Some("\u{7f}abc"));
        for (input, start, stop) in
            [("abc", 0, 4), ("", 0, 4), ("ab", 1, 3), ("abcd", 2, 2), ("abcd", 3, 1), ("abcd", -1, 2)]
        {
            assert_eq!(substring(input, start, stop, false), None, "{input:?} {start}..{stop}");
        }
        // Anything outside ASCII refuses, even where the bytes would be long enough.
        assert_eq!(substring("\u{fdfd}", 0, 1, false), None);
        assert_eq!(substring("abcdef\u{80}", 0, 4, false), None);
        assert_eq!(substring("abcdef\u{1f431}", 0, 4, true), None);
    }

    #[test]
    fn uri_encode_keeps_only_unreserved_characters() {
        assert_eq!(uri_encode("abc:defg"), "abc%3Adefg");
        assert_eq!(uri_encode("0123456789.underscore_dash-Tilda~"), "0123456789.underscore_dash-Tilda~");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("\u{1f639}"), "%F0%9F%98%B9");
        assert_eq!(uri_encode(""), "");
    }

    fn url(scheme: &str, authority: &str, path: &str, normalized: &str, is_ip: bool) -> Option<Url> {
        Some(Url {
            scheme: scheme.into(),
            authority: authority.into(),
            path: path.into(),
            normalized_path: normalized.into(),
            is_ip,
        })
    }

    #[test]
    fn parse_url_splits_scheme_authority_and_path() {
        assert_eq!(parse_url("https://example.com"), url("https", "example.com", "", "/", false));
        assert_eq!(parse_url("https://example.com/"), url("https", "example.com", "/", "/", false));
        assert_eq!(
            parse_url("http://example.com:80/foo/bar"),
            url("http", "example.com:80", "/foo/bar", "/foo/bar/", false)
        );
        assert_eq!(parse_url("https://127.0.0.1"), url("https", "127.0.0.1", "", "/", true));
        assert_eq!(parse_url("http://192.168.1.1:1234/foo/"), url("http", "192.168.1.1:1234", "/foo/", "/foo/", true));
        assert_eq!(parse_url("https://[fe80::1]"), url("https", "[fe80::1]", "", "/", true));
        assert_eq!(parse_url("https://[2001:db8::7348]:443"), url("https", "[2001:db8::7348]:443", "", "/", true));
        // Host names are not checked beyond their characters.
        assert_eq!(parse_url("http://99_ab-.com"), url("http", "99_ab-.com", "", "/", false));
        assert_eq!(parse_url("https://999.999.abc.blah"), url("https", "999.999.abc.blah", "", "/", false));
        assert_eq!(parse_url("HTTPS://example.com/custom"), url("https", "example.com", "/custom", "/custom/", false));
    }

    #[test]
    fn parse_url_refuses_what_is_not_an_endpoint() {
        for bad in [
            "https://example.com:8443?foo=bar",
            "https://example.com/path?query1=foo",
            "https://example.com/#top",
            "acbd://example.com",
            "example.com",
            "http://abc.com:a/foo",
            "http://abc.com:/foo",
            "http://abc.com:99999",
            "https://",
            "https:///path",
            "https://user:pass@example.com",
            "https://exa mple.com",
            "https://[not-an-ip]",
            "https://[::1]x",
            "https://a:b:c",
        ] {
            assert_eq!(parse_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn parse_arn_splits_the_six_parts() {
        let arn = parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE").unwrap();
        assert_eq!(
            arn,
            Arn {
                partition: "aws".into(),
                service: "ec2".into(),
                region: "us-east-1".into(),
                account_id: "012345678910".into(),
                resource_id: vec!["vpc".into(), "vpc-0e9801d129EXAMPLE".into()],
            }
        );
        let global = parse_arn("arn:aws:iam::012345678910:user/johndoe").unwrap();
        assert_eq!((global.region.as_str(), global.resource_id.len()), ("", 2));
        let bucket = parse_arn("arn:aws:s3:::bucket_name").unwrap();
        assert_eq!((bucket.account_id.as_str(), bucket.resource_id), ("", vec!["bucket_name".to_string()]));
        let nested = parse_arn("arn:aws:dynamodb:us-east-1:111:table/t/stream:x").unwrap();
        assert_eq!(nested.resource_id, ["table", "t", "stream", "x"]);
        for bad in [
            "11111111-2222-3333-4444-555555555555",
            "arn:aws:s3:::",
            "arn::s3:::b",
            "arn:aws::::b",
            "arn:aws:s3:r:a",
            "ARN:aws:s3:::b",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad}");
        }
    }

    #[test]
    fn virtual_hostable_buckets() {
        let cases = [
            ("ab", false, false),
            ("abc", false, true),
            (&"a".repeat(63)[..], false, true),
            (&"a".repeat(64)[..], false, false),
            ("-abc", false, false),
            ("abc-", false, false),
            (".abc", true, false),
            ("abc.", true, false),
            ("a-b-c", false, true),
            ("a.b-c", false, false),
            ("a.b-c", true, true),
            ("a..b", true, false),
            ("a-.b", true, false),
            ("a.-b", true, false),
            ("a--b", true, true),
            ("192.168.1.1", true, false),
            ("999.999.999.999", true, false),
            ("192.168.1.word", true, true),
            ("123", true, true),
            ("a0.b1.c2", true, true),
            ("abc_def", true, false),
            ("abcDef", true, false),
            ("bucket-name", false, true),
            ("bucket.name.multiple.dots1", true, true),
        ];
        for (value, allow_subdomains, expected) in cases {
            assert_eq!(is_virtual_hostable_s3_bucket(value, allow_subdomains), expected, "{value} {allow_subdomains}");
        }
    }
}
