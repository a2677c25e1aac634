//! Request compression settings (`smithy.api#requestCompression`), as the AWS SDKs read them, and the
//! `Config` setters for them.
//!
//! Compiled with the `request-compression` feature (with `gzip`, which compresses), which the
//! generator turns on only for crates with an operation the model marks for compression; the fields
//! of `client.rs` that hold the settings carry the same `cfg`. A crate whose operations never
//! compress never reads these settings, so a value meant for another service cannot affect it.
//!
//! Two settings, each from the first place that sets it: the `Config` setter, the environment
//! variable, then the property of the profile in `~/.aws/config` (the profile the credentials use):
//!
//! | setting | variable | profile property | default |
//! | --- | --- | --- | --- |
//! | compression off | `AWS_DISABLE_REQUEST_COMPRESSION` (`true`/`false`) | `disable_request_compression` | `false` |
//! | smallest body compressed, bytes | `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` (0 to 10485760) | `request_min_compression_size_bytes` | 10240 |
//!
//! # Bad values
//!
//! A bad value is handled as the AWS SDK for Rust handles it:
//!
//! - a variable or property that does not parse (a boolean other than `true` or `false`, which are
//!   read in any letter case; a size that is not a whole number from 0 to 4294967295) is ignored
//!   with a warning (a `tracing` event naming the setting, where it was found and the value), and
//!   the setting takes its default, without looking further (at the profile, for a variable), as
//!   aws-config's providers for these settings do;
//! - a size that parses but is above 10485760, wherever it was set (the `Config` setter too), makes
//!   every call of an operation that compresses fail with a configuration error naming the setting,
//!   before anything is sent, as the SDK's compression interceptor does. Building the client, and
//!   calls of operations that do not compress, are not affected.
//!
//! The SDKs do not agree here (botocore refuses to build any client, even of a service that never
//! compresses; the Go SDK fails loading the shared configuration; the JavaScript SDK fails the
//! compressing call); this crate follows the Rust one, which a Rust program would otherwise use on
//! the same machine, and whose choice keeps a mistyped setting from stopping work that does not
//! depend on it.
//!
//! A profile file that cannot be read leaves these two settings at their defaults; the region and
//! credentials lookups report the broken file themselves.

use super::client::{Config, Runtime};
use super::credentials::Environment;
use super::endpoint_config::SettingSources;
use super::error::ConfigError;
use super::profile_file::{ProfileSet, ProfileSource};

/// Bodies smaller than this many bytes are sent as they are, unless configured otherwise.
pub const DEFAULT_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_240;

/// The largest minimum size the AWS SDKs accept (10 MiB).
pub const MAX_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_485_760;

const DISABLE_VARIABLE: &str = "AWS_DISABLE_REQUEST_COMPRESSION";
const MIN_SIZE_VARIABLE: &str = "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES";
const DISABLE_PROPERTY: &str = "disable_request_compression";
const MIN_SIZE_PROPERTY: &str = "request_min_compression_size_bytes";

/// The compression settings made on the `Config`, which win over the environment and the profile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompressionConfig {
    disable: Option<bool>,
    min_size_bytes: Option<u32>,
}

impl CompressionConfig {
    /// The settings these values and `sources` give (see [`CompressionSettings::resolve`]).
    ///
    /// # Errors
    ///
    /// The configuration error of a size out of range, for the compressing calls to return.
    pub fn resolve(self, sources: Option<SettingSources<'_>>) -> Result<CompressionSettings, ConfigError> {
        CompressionSettings::resolve(self.disable, self.min_size_bytes, sources).map_err(ConfigError::new)
    }
}

impl Config {
    /// Turns request compression off (`true`) or on, for the operations whose model asks for it;
    /// overrides `AWS_DISABLE_REQUEST_COMPRESSION` and the profile's `disable_request_compression`.
    /// See the `request_compression` module.
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.compression.disable = Some(disable);
        self
    }

    /// Compresses request bodies of at least this many bytes (0 to 10485760; 10240 by default), for
    /// the operations whose model asks for it; overrides `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` and
    /// the profile's `request_min_compression_size_bytes`. With a value out of range, the client is
    /// built but every call of those operations fails with a configuration error.
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.compression.min_size_bytes = Some(bytes);
        self
    }
}

impl Runtime {
    /// How bodies of operations that support request compression are compressed.
    ///
    /// # Errors
    ///
    /// The configuration error of a minimum size out of range, resolved when the client was built.
    pub fn request_compression(&self) -> Result<CompressionSettings, ConfigError> {
        self.compression.clone()
    }
}

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
    /// else the variables of `sources`, else the properties of its profile (or `AWS_PROFILE`, else
    /// `default`) in the profile files its environment points to; without `sources`, the defaults.
    /// A value that does not parse is warned about and gives the default (see the module docs).
    ///
    /// # Errors
    ///
    /// A message naming the setting, where it was set and the value, when the size is out of range.
    pub fn resolve(
        disable: Option<bool>,
        min_size_bytes: Option<u32>,
        sources: Option<SettingSources<'_>>,
    ) -> Result<CompressionSettings, String> {
        let mut lookup = sources.map(|sources| Lookup { env: sources.env, profile: sources.profile, profiles: None });
        let mut given = |variable, property| lookup.as_mut().and_then(|lookup| lookup.value(variable, property));
        let disabled = match disable {
            Some(disabled) => disabled,
            None => given(DISABLE_VARIABLE, DISABLE_PROPERTY)
                .and_then(|Given { value, from }| {
                    let parsed = parse_bool(&value);
                    if parsed.is_none() {
                        ignored(&from, &value, "`true` or `false`", "`false`");
                    }
                    parsed
                })
                .unwrap_or(false),
        };
        let min_size_bytes = match min_size_bytes {
            Some(size) => check_size(size, "Config::request_min_compression_size_bytes")?,
            None => match given(MIN_SIZE_VARIABLE, MIN_SIZE_PROPERTY) {
                None => DEFAULT_MIN_COMPRESSION_SIZE_BYTES,
                Some(Given { value, from }) => match value.trim().parse::<u32>() {
                    Ok(size) => check_size(size, &from)?,
                    Err(_) => {
                        let default = DEFAULT_MIN_COMPRESSION_SIZE_BYTES.to_string();
                        ignored(&from, &value, "a whole number of bytes", &default);
                        DEFAULT_MIN_COMPRESSION_SIZE_BYTES
                    }
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

/// Reports a value that does not parse, which then counts as unset.
fn ignored(from: &str, value: &str, expected: &str, default: &str) {
    tracing::warn!("{from}: `{value}` is not {expected}; it is ignored and the default, {default}, applies");
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn check_size(size: u32, from: &str) -> Result<u32, String> {
    if size <= MAX_MIN_COMPRESSION_SIZE_BYTES {
        Ok(size)
    } else {
        Err(format!(
            "{from}: {size} is above the largest minimum compression size, {MAX_MIN_COMPRESSION_SIZE_BYTES} bytes"
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::fmt;
    use std::sync::{Arc, Mutex};

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

    fn sources<'a>(env: &'a Environment, profile: Option<&'a str>) -> Option<SettingSources<'a>> {
        Some(SettingSources { env, profile })
    }

    /// Collects the warnings `tracing` events carry, as their formatted messages.
    #[derive(Clone, Default)]
    struct Warnings(Arc<Mutex<Vec<String>>>);

    struct Message<'a>(&'a mut String);

    impl tracing::field::Visit for Message<'_> {
        fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
            if field.name() == "message" {
                self.0.push_str(&format!("{value:?}"));
            }
        }
    }

    impl tracing::Subscriber for Warnings {
        fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
            *metadata.level() == tracing::Level::WARN
        }
        fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            tracing::span::Id::from_u64(1)
        }
        fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, event: &tracing::Event<'_>) {
            let mut message = String::new();
            event.record(&mut Message(&mut message));
            self.0.lock().unwrap().push(message);
        }
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    /// Resolves with `env`, returning the outcome and the warnings logged meanwhile.
    fn resolve_logged(env: &Environment) -> (Result<CompressionSettings, String>, Vec<String>) {
        let warnings = Warnings::default();
        let outcome = tracing::subscriber::with_default(warnings.clone(), || {
            CompressionSettings::resolve(None, None, sources(env, None))
        });
        let logged = warnings.0.lock().unwrap().clone();
        (outcome, logged)
    }

    #[test]
    fn defaults_apply_without_any_setting() {
        let settings = CompressionSettings::resolve(None, None, sources(&env(&[]), None)).unwrap();
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
        let settings = CompressionSettings::resolve(None, None, sources(&from_profile, None)).unwrap();
        assert_eq!((settings.is_disabled(), settings.min_size_bytes()), (true, 5));
        let other = CompressionSettings::resolve(None, None, sources(&from_profile, Some("other"))).unwrap();
        assert_eq!((other.is_disabled(), other.min_size_bytes()), (false, 7));

        let variables = env(&[
            ("AWS_CONFIG_FILE", config_path),
            ("AWS_DISABLE_REQUEST_COMPRESSION", "FALSE"),
            ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "0"),
        ]);
        let settings = CompressionSettings::resolve(None, None, sources(&variables, None)).unwrap();
        assert_eq!((settings.is_disabled(), settings.min_size_bytes()), (false, 0));
        assert!(settings.compresses(0));

        let settings = CompressionSettings::resolve(Some(true), Some(10_485_760), sources(&variables, None)).unwrap();
        assert_eq!((settings.is_disabled(), settings.min_size_bytes()), (true, 10_485_760));
        assert!(!settings.compresses(usize::MAX));
        let settings = CompressionConfig::default().resolve(sources(&variables, None)).unwrap();
        assert_eq!((settings.is_disabled(), settings.min_size_bytes()), (false, 0));
        // A variable that is ignored leaves the default, not the profile's value, as in aws-config.
        let ignored = env(&[("AWS_CONFIG_FILE", config_path), ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "ten")]);
        let settings = CompressionSettings::resolve(None, None, sources(&ignored, None)).unwrap();
        assert_eq!((settings.is_disabled(), settings.min_size_bytes()), (true, 10_240));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_value_that_does_not_parse_is_ignored_with_a_warning_naming_it() {
        for (pairs, warning) in [
            (
                &[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "-1")][..],
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: `-1` is not a whole number of bytes; it is ignored and the default, 10240, applies",
            ),
            (
                &[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "ten")][..],
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: `ten` is not a whole number of bytes; it is ignored and the default, 10240, applies",
            ),
            (
                // Beyond what a `u32` holds, as in aws-config.
                &[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "4294967296")][..],
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: `4294967296` is not a whole number of bytes; it is ignored and the default, 10240, applies",
            ),
            (
                &[("AWS_DISABLE_REQUEST_COMPRESSION", "yes")][..],
                "AWS_DISABLE_REQUEST_COMPRESSION: `yes` is not `true` or `false`; it is ignored and the default, `false`, applies",
            ),
        ] {
            let (outcome, warnings) = resolve_logged(&env(pairs));
            assert_eq!(outcome, Ok(CompressionSettings::default()), "{pairs:?}");
            assert_eq!(warnings, [warning]);
        }
        // A valid setting next to an ignored one still applies.
        let (outcome, warnings) = resolve_logged(&env(&[
            ("AWS_DISABLE_REQUEST_COMPRESSION", "1"),
            ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "5"),
        ]));
        assert_eq!(outcome.map(|s| (s.is_disabled(), s.min_size_bytes())), Ok((false, 5)));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let (_, warnings) = resolve_logged(&env(&[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "5")]));
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_size_out_of_range_is_an_error_naming_the_setting() {
        let (outcome, warnings) = resolve_logged(&env(&[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "10485761")]));
        assert_eq!(
            outcome,
            Err("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: 10485761 is above the largest minimum compression size, 10485760 bytes".to_owned())
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let error = CompressionSettings::resolve(None, Some(20_000_000), None).unwrap_err();
        assert_eq!(
            error,
            "Config::request_min_compression_size_bytes: 20000000 is above the largest minimum compression size, 10485760 bytes"
        );
        // As in the SDK, turning compression off does not make the size valid.
        let config = CompressionConfig { disable: Some(true), min_size_bytes: Some(20_000_000) };
        assert!(config.resolve(None).unwrap_err().to_string().contains("20000000 is above"));
    }

    #[test]
    fn a_profile_value_out_of_range_names_the_property_and_the_profile() {
        let dir = std::env::temp_dir().join(format!("request-compression-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(
            &config,
            "[profile work]\nrequest_min_compression_size_bytes = 99999999\n[profile typo]\ndisable_request_compression = ture\n",
        )
        .unwrap();
        let env = env(&[("AWS_CONFIG_FILE", config.to_str().unwrap())]);
        let error = CompressionSettings::resolve(None, None, sources(&env, Some("work"))).unwrap_err();
        assert!(error.starts_with("request_min_compression_size_bytes in profile [work] of "), "{error}");
        assert!(error.ends_with(": 99999999 is above the largest minimum compression size, 10485760 bytes"), "{error}");

        let warnings = Warnings::default();
        let outcome = tracing::subscriber::with_default(warnings.clone(), || {
            CompressionSettings::resolve(None, None, sources(&env, Some("typo")))
        });
        assert_eq!(outcome, Ok(CompressionSettings::default()));
        let warnings = warnings.0.lock().unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].starts_with("disable_request_compression in profile [typo] of "), "{warnings:?}");
        assert!(
            warnings[0].ends_with(": `ture` is not `true` or `false`; it is ignored and the default, `false`, applies")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
