//! Request compression settings (`smithy.api#requestCompression`), as the AWS SDKs read them, and the
//! request body an operation hands to the client, compressed or not.
//!
//! Two settings, each from the first place that sets it: the `Config` setter, the environment
//! variable, then the property of the profile in `~/.aws/config` (the profile the credentials use):
//!
//! | setting | variable | profile property | default |
//! | --- | --- | --- | --- |
//! | compression off | `AWS_DISABLE_REQUEST_COMPRESSION` (`true`/`false`) | `disable_request_compression` | `false` |
//! | smallest body compressed, bytes | `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` (0 to 10485760) | `request_min_compression_size_bytes` | 10240 |
//!
//! A value that is not one of those is a configuration error naming the setting. A profile file that
//! cannot be read leaves these two settings at their defaults; the region and credentials lookups
//! report the broken file themselves.
//!
//! Every client reads the settings; only operations the model marks for compression use them, and
//! the compressing itself is in the `gzip` module of crates that have such operations.

use super::credentials::Environment;
use super::profile_file::{ProfileSet, ProfileSource};

/// Bodies smaller than this many bytes are sent as they are, unless configured otherwise.
pub const DEFAULT_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_240;

/// The largest minimum size the AWS SDKs accept (10 MiB).
pub const MAX_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_485_760;

const DISABLE_VARIABLE: &str = "AWS_DISABLE_REQUEST_COMPRESSION";
const MIN_SIZE_VARIABLE: &str = "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES";
const DISABLE_PROPERTY: &str = "disable_request_compression";
const MIN_SIZE_PROPERTY: &str = "request_min_compression_size_bytes";

/// Whether and from which size request bodies are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompressionSettings {
    disabled: bool,
    min_size_bytes: u32,
}

impl Default for CompressionSettings {
    fn default() -> Self {
        CompressionSettings { disabled: false, min_size_bytes: DEFAULT_MIN_COMPRESSION_SIZE_BYTES }
    }
}

impl CompressionSettings {
    /// Resolves the settings: `disable` and `min_size_bytes` as set on the `Config` (if they were),
    /// else `env`'s variables, else the properties of `profile` (or `AWS_PROFILE`, else `default`) in
    /// the profile files `env` points to; without `env`, the defaults.
    ///
    /// # Errors
    ///
    /// A message naming the setting and the value when a value is out of range or not a boolean.
    pub fn resolve(
        disable: Option<bool>,
        min_size_bytes: Option<u32>,
        env: Option<(&Environment, Option<&str>)>,
    ) -> Result<CompressionSettings, String> {
        let mut lookup = env.map(|(env, profile)| Lookup { env, profile, profiles: None });
        let mut given = |variable, property| lookup.as_mut().and_then(|lookup| lookup.value(variable, property));
        let disabled = match disable {
            Some(disabled) => disabled,
            None => match given(DISABLE_VARIABLE, DISABLE_PROPERTY) {
                None => false,
                Some(Given { value, from }) => {
                    parse_bool(&value).ok_or_else(|| format!("{from}: `{value}` is not `true` or `false`"))?
                }
            },
        };
        let min_size_bytes = match min_size_bytes {
            Some(size) => check_size(u64::from(size), "Config::request_min_compression_size_bytes")?,
            None => match given(MIN_SIZE_VARIABLE, MIN_SIZE_PROPERTY) {
                None => DEFAULT_MIN_COMPRESSION_SIZE_BYTES,
                Some(Given { value, from }) => match value.trim().parse::<u64>() {
                    Ok(size) => check_size(size, &from)?,
                    Err(_) => return Err(size_error(&format!("`{value}`"), &from)),
                },
            },
        };
        Ok(CompressionSettings { disabled, min_size_bytes })
    }

    /// Whether compression is turned off.
    pub fn is_disabled(&self) -> bool {
        self.disabled
    }

    /// The smallest body, in bytes, that is compressed.
    pub fn min_size_bytes(&self) -> u32 {
        self.min_size_bytes
    }

    /// Whether a body of `len` bytes of an operation that supports compression is compressed.
    pub fn compresses(&self, len: usize) -> bool {
        !self.disabled && u64::try_from(len).unwrap_or(u64::MAX) >= u64::from(self.min_size_bytes)
    }
}

/// A setting's value as found, and how to name where it came from.
struct Given {
    value: String,
    from: String,
}

/// An environment's variables, then the properties of its chosen profile, whose files are read the
/// first time a variable is not set.
struct Lookup<'e> {
    env: &'e Environment,
    profile: Option<&'e str>,
    profiles: Option<Option<ProfileSet>>,
}

impl Lookup<'_> {
    fn value(&mut self, variable: &str, property: &str) -> Option<Given> {
        if let Some(value) = self.env.get(variable) {
            return Some(Given { value, from: variable.to_owned() });
        }
        let (env, profile) = (self.env, self.profile);
        let set = self
            .profiles
            .get_or_insert_with(|| {
                let source = ProfileSource { profile: profile.map(str::to_owned), ..ProfileSource::default() };
                ProfileSet::load(env, &source).ok()
            })
            .as_ref()?;
        let value = set.selected()?.get(property)?.to_owned();
        let from = format!("{property} in profile [{}] of {}", set.selected_name(), set.describe_files());
        Some(Given { value, from })
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn check_size(size: u64, from: &str) -> Result<u32, String> {
    u32::try_from(size)
        .ok()
        .filter(|size| *size <= MAX_MIN_COMPRESSION_SIZE_BYTES)
        .ok_or_else(|| size_error(&size.to_string(), from))
}

fn size_error(shown: &str, from: &str) -> String {
    format!("{from}: {shown} is not a whole number of bytes from 0 to {MAX_MIN_COMPRESSION_SIZE_BYTES}")
}

/// A serialized request body, and the encoding it was compressed with, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestBody {
    bytes: Vec<u8>,
    content_encoding: Option<&'static str>,
}

impl RequestBody {
    /// A body compressed with `encoding` (its `Content-Encoding` name, such as `gzip`).
    pub fn encoded(bytes: Vec<u8>, encoding: &'static str) -> Self {
        RequestBody { bytes, content_encoding: Some(encoding) }
    }

    /// The bytes to send.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The encoding, when the body is compressed.
    pub fn content_encoding(&self) -> Option<&'static str> {
        self.content_encoding
    }
}

impl From<String> for RequestBody {
    fn from(body: String) -> Self {
        RequestBody { bytes: body.into_bytes(), content_encoding: None }
    }
}

/// Adds `encoding` to the request's `Content-Encoding`: after every encoding already there (they were
/// applied first, in the order of the header's values), as one value, or as its only value.
pub fn append_content_encoding(headers: &mut http::HeaderMap, encoding: &'static str) {
    let mut joined = Vec::new();
    for existing in headers.get_all(http::header::CONTENT_ENCODING) {
        let existing = existing.as_bytes().trim_ascii();
        if !existing.is_empty() {
            joined.extend_from_slice(existing);
            joined.extend_from_slice(b", ");
        }
    }
    joined.extend_from_slice(encoding.as_bytes());
    // Made of valid header values and a token, so it is one too; the fallback is never taken.
    let value = http::HeaderValue::from_bytes(&joined).unwrap_or_else(|_| http::HeaderValue::from_static(encoding));
    headers.insert(http::header::CONTENT_ENCODING, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Environment {
        // No profile files unless a test names one.
        let mut all = vec![
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ];
        all.extend_from_slice(pairs);
        Environment::from_pairs(all)
    }

    #[test]
    fn defaults_apply_without_any_setting() {
        let settings = CompressionSettings::resolve(None, None, Some((&env(&[]), None))).unwrap();
        assert_eq!(settings, CompressionSettings::default());
        assert_eq!((settings.is_disabled(), settings.min_size_bytes()), (false, 10_240));
        assert!(!settings.compresses(10_239) && settings.compresses(10_240));
        assert_eq!(CompressionSettings::resolve(None, None, None).unwrap(), CompressionSettings::default());
    }

    #[test]
    fn the_config_wins_over_the_environment_which_wins_over_the_profile() {
        let dir = std::env::temp_dir().join(format!("request-compression-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(
            &config,
            "[default]\ndisable_request_compression = true\nrequest_min_compression_size_bytes = 5\n[profile other]\nrequest_min_compression_size_bytes = 7\n",
        )
        .unwrap();
        let config_path = config.to_str().unwrap();
        let from_profile = env(&[("AWS_CONFIG_FILE", config_path)]);
        let settings = CompressionSettings::resolve(None, None, Some((&from_profile, None))).unwrap();
        assert_eq!((settings.is_disabled(), settings.min_size_bytes()), (true, 5));
        let other = CompressionSettings::resolve(None, None, Some((&from_profile, Some("other")))).unwrap();
        assert_eq!((other.is_disabled(), other.min_size_bytes()), (false, 7));

        let variables = env(&[
            ("AWS_CONFIG_FILE", config_path),
            ("AWS_DISABLE_REQUEST_COMPRESSION", "FALSE"),
            ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "0"),
        ]);
        let settings = CompressionSettings::resolve(None, None, Some((&variables, None))).unwrap();
        assert_eq!((settings.is_disabled(), settings.min_size_bytes()), (false, 0));
        assert!(settings.compresses(0));

        let settings = CompressionSettings::resolve(Some(true), Some(10_485_760), Some((&variables, None))).unwrap();
        assert_eq!((settings.is_disabled(), settings.min_size_bytes()), (true, 10_485_760));
        assert!(!settings.compresses(usize::MAX));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_value_out_of_range_is_an_error_naming_the_setting() {
        for (pairs, named) in [
            (
                &[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "10485761")][..],
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: 10485761 is not",
            ),
            (
                &[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "-1")][..],
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: `-1` is not",
            ),
            (
                &[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "ten")][..],
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: `ten` is not",
            ),
            (
                &[("AWS_DISABLE_REQUEST_COMPRESSION", "yes")][..],
                "AWS_DISABLE_REQUEST_COMPRESSION: `yes` is not `true` or `false`",
            ),
        ] {
            let error = CompressionSettings::resolve(None, None, Some((&env(pairs), None))).unwrap_err();
            assert!(error.starts_with(named), "{error}");
        }
        let error = CompressionSettings::resolve(None, Some(20_000_000), None).unwrap_err();
        assert_eq!(
            error,
            "Config::request_min_compression_size_bytes: 20000000 is not a whole number of bytes from 0 to 10485760"
        );
    }

    #[test]
    fn a_profile_value_out_of_range_names_the_property_and_the_profile() {
        let dir = std::env::temp_dir().join(format!("request-compression-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(&config, "[profile work]\nrequest_min_compression_size_bytes = 99999999\n").unwrap();
        let env = env(&[("AWS_CONFIG_FILE", config.to_str().unwrap())]);
        let error = CompressionSettings::resolve(None, None, Some((&env, Some("work")))).unwrap_err();
        assert!(error.starts_with("request_min_compression_size_bytes in profile [work] of "), "{error}");
        assert!(error.ends_with(": 99999999 is not a whole number of bytes from 0 to 10485760"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn content_encoding_is_appended_to_an_existing_value() {
        let mut headers = http::HeaderMap::new();
        append_content_encoding(&mut headers, "gzip");
        assert_eq!(headers[http::header::CONTENT_ENCODING], "gzip");
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::CONTENT_ENCODING, http::HeaderValue::from_static("br"));
        append_content_encoding(&mut headers, "gzip");
        assert_eq!(headers[http::header::CONTENT_ENCODING], "br, gzip");
        assert_eq!(headers.get_all(http::header::CONTENT_ENCODING).iter().count(), 1);
        // Several values (as endpoint rules may set them) are all kept, in order, and so is a value
        // that is not visible ASCII.
        let mut headers = http::HeaderMap::new();
        headers.append(http::header::CONTENT_ENCODING, http::HeaderValue::from_static("br"));
        headers.append(http::header::CONTENT_ENCODING, http::HeaderValue::from_static(" "));
        headers.append(http::header::CONTENT_ENCODING, http::HeaderValue::from_bytes(b"x-\xE9").unwrap());
        append_content_encoding(&mut headers, "gzip");
        assert_eq!(headers[http::header::CONTENT_ENCODING].as_bytes(), b"br, x-\xE9, gzip");
        assert_eq!(headers.get_all(http::header::CONTENT_ENCODING).iter().count(), 1);
    }

    #[test]
    fn a_plain_body_has_no_encoding() {
        let body = RequestBody::from("{}".to_string());
        assert_eq!((body.bytes(), body.content_encoding()), (&b"{}"[..], None));
        let body = RequestBody::encoded(vec![1, 2], "gzip");
        assert_eq!((body.bytes(), body.content_encoding()), (&[1_u8, 2][..], Some("gzip")));
    }
}
