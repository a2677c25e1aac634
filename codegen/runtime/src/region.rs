//! Where the region comes from: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region`
//! (the profile the credentials use), then the EC2 instance metadata service.
//!
//! # Why IMDS is asked on a helper thread
//!
//! `Client::from_env()` and `Runtime::new` are synchronous and need the region at once: it shapes the
//! endpoint and every signature, and `Client::region()` returns it. The first three places are
//! variables and a small file, read on the spot. IMDS is network I/O, and it is only reached when
//! nothing else names a region. Resolving it lazily at the first call would turn a missing region
//! into an error far from its cause and make `Client::region()` fallible; making construction async
//! would break every caller. So [`resolve_blocking`] runs the lookup on a short-lived thread with its
//! own current-thread tokio runtime and waits for it: that works whether or not the caller is inside
//! a runtime (a runtime cannot be blocked on from inside another), and it is bounded by
//! [`IMDS_REGION_DEADLINE`], so a caller on a tokio worker is held for at most that long, and only
//! where no region is configured. On EC2 the answer takes milliseconds; off EC2 the token request
//! times out after one second and the error lists every place looked.

use std::time::Duration;

use super::credentials::Environment;
#[cfg(feature = "credentials-imds")]
use super::imds::{endpoint_from_env, ImdsClient, ImdsError};
use super::profile_file::{ProfileSet, ProfileSource};
use super::provider_http::ProviderHttp;

/// The region STS is called in when nothing names one.
pub const FALLBACK_REGION: &str = "us-east-1";

/// The most time the IMDS region lookup may take, retries included.
pub const IMDS_REGION_DEADLINE: Duration = Duration::from_secs(3);

/// Checks that `region` can be put into a host name: one DNS label of 1 to 63 ASCII letters, digits
/// and hyphens that neither starts nor ends with a hyphen. Every endpoint built from a region (the
/// service's, STS's) puts it between dots in the host, so anything else (`attacker.example/`) could
/// send the request, and the credentials or token in it, to a host the region names.
pub fn check_region(region: &str) -> Result<(), String> {
    let valid = (1..=63).contains(&region.len())
        && !region.starts_with('-')
        && !region.ends_with('-')
        && region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "the region {region:?} is not a valid region name (1 to 63 letters, digits and hyphens, such as us-east-1)"
        ))
    }
}

/// What the places before IMDS said: the region, or why each gave none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegionLookup {
    region: Option<String>,
    /// Why each place looked at gave nothing, in order.
    looked: Vec<String>,
    /// A place that is broken (a malformed profile file): an error, not a reason to look further.
    broken: Option<String>,
}

impl RegionLookup {
    /// Looks at the variables, then the profile (`profile`, else `AWS_PROFILE`, else `default`).
    pub fn without_imds(env: &Environment, profile: Option<&str>) -> Self {
        let mut lookup = RegionLookup::default();
        for variable in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let Some(region) = env.get(variable) {
                lookup.region = Some(region.trim().to_owned());
                return lookup;
            }
            lookup.looked.push(format!("{variable} is not set"));
        }
        let source = ProfileSource { profile: profile.map(str::to_owned), ..ProfileSource::default() };
        match ProfileSet::load(env, &source) {
            Err(error) => lookup.broken = Some(error.message().to_owned()),
            Ok(set) => match set.selected() {
                None => lookup.looked.push(set.not_found_message(set.selected_name())),
                Some(profile) => match profile.get("region") {
                    Some(region) => lookup.region = Some(region.to_owned()),
                    None => lookup.looked.push(format!(
                        "profile: profile [{}] in {} has no region",
                        profile.name(),
                        set.describe_files()
                    )),
                },
            },
        }
        lookup
    }

    /// The region, if the variables or the profile name one.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The region from here, else from IMDS (blocking; see the [module documentation](self)).
    ///
    /// The error lists every place looked and why each gave nothing.
    pub fn resolve_blocking(&self, env: &Environment, http: ProviderHttp) -> Result<String, String> {
        if let Some(region) = &self.region {
            return Ok(region.clone());
        }
        if let Some(broken) = &self.broken {
            return Err(format!("no region: cannot read it from the profile: {broken}"));
        }
        let imds = match resolve_blocking(env, http) {
            Ok(region) => return Ok(region),
            Err(why) => why,
        };
        Err(format!(
            "no region: set one on the config, AWS_REGION or AWS_DEFAULT_REGION, or `region` in the profile; \
             looked at: {}; IMDS: {imds}",
            self.looked.join("; ")
        ))
    }
}

/// The region from the variables or the profile, without asking IMDS.
pub fn region_without_imds(env: &Environment, profile: Option<&str>) -> Option<String> {
    RegionLookup::without_imds(env, profile).region
}

/// Asks IMDS for the region on a helper thread and waits at most [`IMDS_REGION_DEADLINE`].
#[cfg(not(feature = "credentials-imds"))]
pub fn resolve_blocking(_env: &Environment, _http: ProviderHttp) -> Result<String, String> {
    Err(format!(
        "not built into this client (the Cargo feature `{}`)",
        super::credentials::OptionalSource::Imds.feature()
    ))
}

/// Asks IMDS for the region on a helper thread and waits at most [`IMDS_REGION_DEADLINE`].
#[cfg(feature = "credentials-imds")]
pub fn resolve_blocking(env: &Environment, http: ProviderHttp) -> Result<String, String> {
    let endpoint = match endpoint_from_env(env) {
        Ok(Some(endpoint)) => endpoint,
        Ok(None) => return Err("turned off by AWS_EC2_METADATA_DISABLED".to_owned()),
        Err(problem) => return Err(problem),
    };
    let client = ImdsClient::new(endpoint, http);
    let lookup = async move {
        match tokio::time::timeout(IMDS_REGION_DEADLINE, client.region()).await {
            Ok(Ok(region)) => Ok(region),
            Ok(Err(ImdsError::Unreachable(why) | ImdsError::Failed(why))) => Err(why),
            Err(_) => Err(format!("no region from {} within {IMDS_REGION_DEADLINE:?}", client.endpoint())),
        }
    };
    std::thread::scope(|scope| {
        let helper = std::thread::Builder::new().name("region-from-imds".to_owned()).spawn_scoped(scope, move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start a runtime to ask it: {e}"))?;
            runtime.block_on(lookup)
        });
        match helper {
            Ok(handle) => handle.join().unwrap_or_else(|_| Err("the lookup thread panicked".to_owned())),
            Err(e) => Err(format!("cannot start a thread to ask it: {e}")),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, String)]) -> Environment {
        Environment::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())))
    }

    #[test]
    fn a_region_must_be_one_host_label() {
        for good in ["us-east-1", "cn-north-1", "aws-global", "us-isob-east-1", "eusc-de-east-1", &"a".repeat(63)] {
            assert_eq!(check_region(good), Ok(()), "{good}");
        }
        for bad in ["", "attacker.example/", "us-east-1.evil.com", "a/b", "a b", "-us", "us-", "ünï", "a@b", "a:1"] {
            let error = check_region(bad).unwrap_err();
            assert!(error.contains("not a valid region name"), "{bad}: {error}");
        }
        assert!(check_region(&"a".repeat(64)).is_err());
        // Control characters are escaped in the message, not written out.
        assert!(check_region("a\nb").unwrap_err().contains("\\n"));
    }

    #[test]
    fn variables_come_first_then_the_profile() {
        let dir = std::env::temp_dir().join(format!("runtime-region-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(
            &config,
            "[default]\nregion = eu-west-1\n[profile other]\nregion = ap-south-1\n[profile none]\n",
        )
        .unwrap();
        let file = ("AWS_CONFIG_FILE", config.display().to_string());
        let both =
            env(&[("AWS_REGION", "us-west-2".into()), ("AWS_DEFAULT_REGION", "eu-central-1".into()), file.clone()]);
        assert_eq!(region_without_imds(&both, None).as_deref(), Some("us-west-2"));
        let default = env(&[("AWS_DEFAULT_REGION", "eu-central-1".into()), file.clone()]);
        assert_eq!(region_without_imds(&default, None).as_deref(), Some("eu-central-1"));
        // A blank variable names no region: the next place is asked, not the region "".
        let blank = env(&[("AWS_REGION", "  ".into()), ("AWS_DEFAULT_REGION", "\t".into()), file.clone()]);
        assert_eq!(region_without_imds(&blank, None).as_deref(), Some("eu-west-1"));
        assert_eq!(region_without_imds(&env(std::slice::from_ref(&file)), None).as_deref(), Some("eu-west-1"));
        let by_variable = env(&[file.clone(), ("AWS_PROFILE", "other".into())]);
        assert_eq!(region_without_imds(&by_variable, None).as_deref(), Some("ap-south-1"));
        assert_eq!(region_without_imds(&by_variable, Some("default")).as_deref(), Some("eu-west-1"));

        let none = RegionLookup::without_imds(&env(std::slice::from_ref(&file)), Some("none"));
        assert_eq!(none.region(), None);
        assert_eq!(none.looked[0], "AWS_REGION is not set");
        assert!(none.looked[2].contains("profile [none]") && none.looked[2].contains("has no region"), "{none:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn with_imds_off_the_error_lists_every_place() {
        let off = env(&[("AWS_EC2_METADATA_DISABLED", "true".into())]);
        let error =
            RegionLookup::without_imds(&off, None).resolve_blocking(&off, ProviderHttp::built_in()).unwrap_err();
        for fragment in [
            "no region",
            "AWS_REGION is not set",
            "AWS_DEFAULT_REGION is not set",
            "no profile files",
            if cfg!(feature = "credentials-imds") {
                "IMDS: turned off"
            } else {
                "IMDS: not built into this client (the Cargo feature `credentials-imds`)"
            },
        ] {
            assert!(error.contains(fragment), "{fragment}: {error}");
        }
    }

    #[test]
    fn a_broken_profile_file_is_an_error() {
        let path = std::env::temp_dir().join(format!("runtime-region-broken-{}", std::process::id()));
        std::fs::write(&path, "region = x\n").unwrap();
        let broken =
            env(&[("AWS_CONFIG_FILE", path.display().to_string()), ("AWS_EC2_METADATA_DISABLED", "true".into())]);
        let error =
            RegionLookup::without_imds(&broken, None).resolve_blocking(&broken, ProviderHttp::built_in()).unwrap_err();
        let _ = std::fs::remove_file(&path);
        assert!(error.contains("line 1"), "{error}");
    }
}
