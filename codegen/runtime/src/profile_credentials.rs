//! Credentials a profile of the shared files names: static keys, `credential_process`, a role
//! assumed through STS, or web identity, following `source_profile` from profile to profile.
//!
//! How one profile is read, in this order:
//!
//! 1. `role_arn` with `web_identity_token_file`: `AssumeRoleWithWebIdentity` with that token.
//! 2. `role_arn` (with `external_id`, `role_session_name`, `duration_seconds` as needed): assume the
//!    role through STS `AssumeRole`, signed with the credentials of `source_profile` (read by these
//!    same rules) or of `credential_source`: `Environment`, `Ec2InstanceMetadata` or `EcsContainer`.
//!    Exactly one of the two must be set. A profile that names itself as `source_profile` uses its
//!    own `credential_process` or static keys as the source.
//! 3. `credential_process`: run it (see `credential_process`).
//! 4. `aws_access_key_id` and `aws_secret_access_key` (and `aws_session_token`, and the account in
//!    `aws_account_id`).
//!
//! A profile reached through `source_profile` that has static keys uses them even if it also sets
//! `role_arn`, as the AWS SDKs do. A chain that comes back to a profile it has visited is an error
//! naming the loop. The profile first chosen having no credentials at all (a config with only a
//! `region`, as on many EC2 hosts) is "nothing here", so a chain moves on; a source profile without
//! credentials, a missing source profile, half a key pair, an unknown `credential_source`, or SSO
//! settings (not supported) are configuration errors.
//!
//! `credential_process`, STS (roles and web identity), IMDS and the container endpoint are Cargo
//! features of their own (`credentials::OptionalSource`). A profile that needs one this build lacks
//! is a configuration error naming the setting, the profile and the feature, found before anything
//! runs or is sent.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

#[cfg(feature = "credentials-container")]
use super::container_credentials::ContainerCredentials;
#[cfg(feature = "credentials-process")]
use super::credential_process::ProcessCredentials;
use super::credentials::{
    sources_left_out, AssumeRoleParams, Credentials, CredentialsError, CredentialsErrorKind, Environment,
    EnvironmentCredentials, OptionalSource, ProvideCredentials, ProvideCredentialsFuture,
};
use super::http::HttpClient;
#[cfg(feature = "credentials-imds")]
use super::imds::ImdsCredentials;
use super::profile_file::{credentials_file_path, Profile, ProfileSet, ProfileSource};
use super::provider_http::ProviderHttp;
use super::region::FALLBACK_REGION;
#[cfg(feature = "credentials-sts")]
use super::sts::{read_web_identity_token, StsClient};

/// Reads the chosen profile of `~/.aws/config` and `~/.aws/credentials`; see the
/// [module documentation](self).
///
/// The files are those the environment names (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`,
/// else under `~/.aws`); the profile is the [`profile`](Self::profile) override, else `AWS_PROFILE`,
/// else `default`. A missing file, or a missing `default` profile when none was asked for, is
/// [`CredentialsErrorKind::NotFound`]; a profile that was asked for but is absent is
/// [`CredentialsErrorKind::InvalidConfiguration`].
///
/// The files are small and read with blocking I/O inside the future, each time credentials are
/// asked for (a cache in front keeps that rare).
#[derive(Clone, Debug, Default)]
pub struct ProfileFileCredentials {
    env: Environment,
    source: ProfileSource,
    http: ProviderHttp,
    region: Option<String>,
}

impl ProfileFileCredentials {
    /// Locates the files and profile through the process environment.
    pub fn new() -> Self {
        Self::with_env(Environment::process())
    }

    /// Locates the files and profile through `env` instead of the process environment.
    pub fn with_env(env: Environment) -> Self {
        ProfileFileCredentials { env, ..ProfileFileCredentials::default() }
    }

    /// Reads this credentials file instead of the one the environment points to.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.source.credentials_file = Some(path.into());
        self
    }

    /// Reads this config file instead of the one the environment points to.
    pub fn config_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.source.config_file = Some(path.into());
        self
    }

    /// Uses this profile instead of `AWS_PROFILE` / `default`.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.source.profile = Some(profile.into());
        self
    }

    /// Calls STS, IMDS and the container endpoint through `client` instead of the built-in one.
    pub fn http_client(self, client: Arc<dyn HttpClient>) -> Self {
        self.provider_http(ProviderHttp::new(client))
    }

    pub(crate) fn provider_http(mut self, http: ProviderHttp) -> Self {
        self.http = http;
        self
    }

    /// Calls STS in this region (else the variables' or the profile's `region`, else `us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The credentials file this provider reads (the config file is read too), or why it cannot tell.
    pub fn resolve_path(&self) -> Result<PathBuf, CredentialsError> {
        if let Some(path) = &self.source.credentials_file {
            return Ok(path.clone());
        }
        credentials_file_path(&self.env)?.ok_or_else(|| {
            CredentialsError::not_found(
                "profile: neither AWS_SHARED_CREDENTIALS_FILE, HOME nor USERPROFILE is set, so there is no credentials file to read",
            )
        })
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        // Reading the profile files blocks; it runs on tokio's blocking pool, not the executor.
        let (env, source, region) = (self.env.clone(), self.source.clone(), self.region.clone());
        let (set, region) = tokio::task::spawn_blocking(move || {
            let set = ProfileSet::load(&env, &source)?;
            let region = match region {
                Some(region) => region,
                None => super::region::region_without_imds(&env, Some(set.selected_name()))
                    .unwrap_or_else(|| FALLBACK_REGION.to_owned()),
            };
            Ok::<_, CredentialsError>((set, region))
        })
        .await
        .map_err(|_| CredentialsError::provider_error("profile: the thread reading the files stopped"))??;
        let plan = plan(&set)?;
        plan.check_built_in()?;
        let mut credentials = self.base_credentials(&plan, &set, &region).await?;
        for (role, profile) in &plan.roles {
            credentials = self.assume_role(&credentials, role, profile, &set, &region).await?;
        }
        Ok(credentials)
    }

    // `set` and `region` serve STS only.
    #[cfg_attr(not(feature = "credentials-sts"), allow(unused_variables))]
    async fn base_credentials(
        &self,
        plan: &Plan,
        set: &ProfileSet,
        region: &str,
    ) -> Result<Credentials, CredentialsError> {
        match &plan.base {
            Base::Static(credentials) => Ok(credentials.clone()),
            #[cfg(feature = "credentials-process")]
            Base::Process { command, profile } => {
                ProcessCredentials::new(command.clone(), format!("profile [{profile}]")).run().await
            }
            #[cfg(feature = "credentials-sts")]
            Base::WebIdentity { role, token_file, profile } => {
                let source = format!("profile [{profile}]");
                let token = read_web_identity_token(token_file, &source).await?;
                let session_name = role.session_name.clone().unwrap_or_else(super::sts::default_session_name);
                StsClient::new(&self.env, Some(set), self.http.clone(), region)?
                    .assume_role_with_web_identity(&role.role_arn, &session_name, &token)
                    .await
                    .map_err(|e| in_profile(profile, e))
            }
            Base::Named { source, profile } => {
                let provider = self.named_source(*source, profile)?;
                provider.provide_credentials().await.map_err(|e| {
                    // The profile said to use this source, so its having nothing is a configuration error.
                    let kind = match e.kind() {
                        CredentialsErrorKind::NotFound => CredentialsErrorKind::InvalidConfiguration,
                        other => other,
                    };
                    CredentialsError::new(
                        kind,
                        format!("profile: credential_source {} of profile [{profile}]: {}", source.name(), e.message()),
                    )
                })
            }
            // A base whose source this build lacks; `Plan::check_built_in` refuses such plans first.
            #[allow(unreachable_patterns)]
            _ => Err(plan.check_built_in().err().unwrap_or_else(|| {
                CredentialsError::invalid_configuration("profile: a credential source this build lacks")
            })),
        }
    }

    fn named_source(
        &self,
        source: NamedSource,
        profile: &str,
    ) -> Result<Box<dyn ProvideCredentials>, CredentialsError> {
        Ok(match source {
            NamedSource::Environment => Box::new(EnvironmentCredentials::with_env(self.env.clone())),
            #[cfg(feature = "credentials-imds")]
            NamedSource::Ec2InstanceMetadata => Box::new(ImdsCredentials::new(&self.env, self.http.clone())),
            #[cfg(feature = "credentials-container")]
            NamedSource::EcsContainer => Box::new(ContainerCredentials::new(self.env.clone(), self.http.clone())),
            #[allow(unreachable_patterns)]
            other => {
                return Err(sources_left_out(
                    &format!("profile: profile [{profile}] sets credential_source = {}", other.name()),
                    &other.needs().into_iter().collect::<Vec<_>>(),
                ))
            }
        })
    }

    #[cfg(feature = "credentials-sts")]
    async fn assume_role(
        &self,
        credentials: &Credentials,
        role: &AssumeRoleParams,
        profile: &str,
        set: &ProfileSet,
        region: &str,
    ) -> Result<Credentials, CredentialsError> {
        StsClient::new(&self.env, Some(set), self.http.clone(), region)?
            .assume_role(credentials, role)
            .await
            .map_err(|e| in_profile(profile, e))
    }

    #[cfg(not(feature = "credentials-sts"))]
    async fn assume_role(
        &self,
        _credentials: &Credentials,
        _role: &AssumeRoleParams,
        profile: &str,
        _set: &ProfileSet,
        _region: &str,
    ) -> Result<Credentials, CredentialsError> {
        Err(sources_left_out(&format!("profile: profile [{profile}] sets role_arn"), &[OptionalSource::Sts]))
    }
}

#[cfg(feature = "credentials-sts")]
fn in_profile(profile: &str, error: CredentialsError) -> CredentialsError {
    CredentialsError::new(error.kind(), format!("profile [{profile}]: {}", error.message()))
}

impl ProvideCredentials for ProfileFileCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// The sources `credential_source` may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedSource {
    /// The `AWS_*` variables.
    Environment,
    /// The instance role from IMDS.
    Ec2InstanceMetadata,
    /// The container endpoint.
    EcsContainer,
}

impl NamedSource {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "Environment" => Some(NamedSource::Environment),
            "Ec2InstanceMetadata" => Some(NamedSource::Ec2InstanceMetadata),
            "EcsContainer" => Some(NamedSource::EcsContainer),
            _ => None,
        }
    }

    /// The optional source it reads, if any.
    fn needs(self) -> Option<OptionalSource> {
        match self {
            NamedSource::Environment => None,
            NamedSource::Ec2InstanceMetadata => Some(OptionalSource::Imds),
            NamedSource::EcsContainer => Some(OptionalSource::Container),
        }
    }

    fn name(self) -> &'static str {
        match self {
            NamedSource::Environment => "Environment",
            NamedSource::Ec2InstanceMetadata => "Ec2InstanceMetadata",
            NamedSource::EcsContainer => "EcsContainer",
        }
    }
}

/// Where the first credentials of a chain come from.
///
/// `Debug` leaves out the `credential_process` command line, which may hold a secret.
#[derive(Clone, PartialEq, Eq)]
pub enum Base {
    /// Keys written in a profile.
    Static(Credentials),
    /// A `credential_process` command of `profile`.
    Process {
        /// The command line.
        command: String,
        /// The profile that names it.
        profile: String,
    },
    /// `AssumeRoleWithWebIdentity` with a token file.
    WebIdentity {
        /// The role to assume.
        role: AssumeRoleParams,
        /// The token file.
        token_file: String,
        /// The profile that names it.
        profile: String,
    },
    /// A `credential_source`.
    Named {
        /// The source.
        source: NamedSource,
        /// The profile that names it.
        profile: String,
    },
}

impl fmt::Debug for Base {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base::Static(credentials) => f.debug_tuple("Static").field(credentials).finish(),
            Base::Process { profile, .. } => {
                f.debug_struct("Process").field("profile", profile).finish_non_exhaustive()
            }
            Base::WebIdentity { role, token_file, profile } => f
                .debug_struct("WebIdentity")
                .field("role", role)
                .field("token_file", token_file)
                .field("profile", profile)
                .finish(),
            Base::Named { source, profile } => {
                f.debug_struct("Named").field("source", source).field("profile", profile).finish()
            }
        }
    }
}

/// A profile resolved into steps: a base, then roles to assume in order, each with its profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The first credentials.
    pub base: Base,
    /// Roles to assume with the credentials before them, innermost first.
    pub roles: Vec<(AssumeRoleParams, String)>,
}

impl Plan {
    /// The sources the plan runs, each with the setting and profile that ask for it.
    fn needs(&self) -> Vec<(OptionalSource, String)> {
        let mut needs = Vec::new();
        match &self.base {
            Base::Static(_) => {}
            Base::Process { profile, .. } => {
                needs.push((OptionalSource::Process, format!("profile [{profile}] sets credential_process")))
            }
            Base::WebIdentity { profile, .. } => needs
                .push((OptionalSource::Sts, format!("profile [{profile}] sets role_arn and web_identity_token_file"))),
            Base::Named { source, profile } => {
                if let Some(optional) = source.needs() {
                    needs.push((optional, format!("profile [{profile}] sets credential_source = {}", source.name())))
                }
            }
        }
        for (_, profile) in &self.roles {
            needs.push((OptionalSource::Sts, format!("profile [{profile}] sets role_arn")));
        }
        needs
    }

    /// `Err` naming every setting that needs a source this build lacks, and the features to turn on.
    pub fn check_built_in(&self) -> Result<(), CredentialsError> {
        let missing: Vec<(OptionalSource, String)> =
            self.needs().into_iter().filter(|(source, _)| !source.is_built_in()).collect();
        if missing.is_empty() {
            return Ok(());
        }
        let mut asked_by: Vec<String> = Vec::new();
        for (_, why) in &missing {
            if !asked_by.contains(why) {
                asked_by.push(why.clone());
            }
        }
        let sources: Vec<OptionalSource> = missing.iter().map(|(source, _)| *source).collect();
        Err(sources_left_out(&format!("profile: {}", asked_by.join("; ")), &sources))
    }
}

fn invalid(message: String) -> CredentialsError {
    CredentialsError::invalid_configuration(format!("profile: {message}"))
}

/// Static keys of `profile`: `Ok(None)` when it has none, an error for half a pair.
fn static_keys(profile: &Profile) -> Result<Option<Credentials>, CredentialsError> {
    let name = profile.name();
    match (profile.get("aws_access_key_id"), profile.get("aws_secret_access_key")) {
        (Some(akid), Some(secret)) => {
            let credentials = Credentials::new(akid, secret, profile.get("aws_session_token").map(str::to_owned));
            Ok(Some(match profile.get("aws_account_id") {
                Some(account_id) => credentials.with_account_id(account_id),
                None => credentials,
            }))
        }
        (None, None) => Ok(None),
        (Some(_), None) => Err(invalid(format!("profile [{name}] has aws_access_key_id but no aws_secret_access_key"))),
        (None, Some(_)) => Err(invalid(format!("profile [{name}] has aws_secret_access_key but no aws_access_key_id"))),
    }
}

fn role_params(profile: &Profile, role_arn: &str) -> Result<AssumeRoleParams, CredentialsError> {
    let duration_seconds = match profile.get("duration_seconds") {
        None => None,
        Some(text) => Some(text.parse::<u32>().map_err(|_| {
            invalid(format!("duration_seconds of profile [{}] is not a whole number of seconds", profile.name()))
        })?),
    };
    Ok(AssumeRoleParams {
        role_arn: role_arn.to_owned(),
        session_name: profile.get("role_session_name").map(str::to_owned),
        external_id: profile.get("external_id").map(str::to_owned),
        duration_seconds,
    })
}

/// The credentials of a profile that assumes no role (or whose role the caller handles), or
/// `Ok(None)` when it has none.
fn base_of(profile: &Profile) -> Result<Option<Base>, CredentialsError> {
    let name = profile.name().to_owned();
    if let Some(process) = profile.get("credential_process") {
        return Ok(Some(Base::Process { command: process.to_owned(), profile: name }));
    }
    if let Some(credentials) = static_keys(profile)? {
        return Ok(Some(Base::Static(credentials)));
    }
    if profile.get("web_identity_token_file").is_some() {
        return Err(invalid(format!("profile [{name}] has web_identity_token_file but no role_arn")));
    }
    if ["sso_session", "sso_start_url", "sso_account_id", "sso_role_name"].iter().any(|k| profile.get(k).is_some()) {
        return Err(invalid(format!(
            "profile [{name}] uses IAM Identity Center (sso_* settings), which this client does not support; \
             use `credential_process = aws configure export-credentials --profile {name}` instead"
        )));
    }
    Ok(None)
}

/// Resolves the chosen profile of `set` into a [`Plan`].
pub fn plan(set: &ProfileSet) -> Result<Plan, CredentialsError> {
    let mut roles = Vec::new();
    let mut visited: Vec<String> = Vec::new();
    let mut name = set.selected_name().to_owned();
    let base = loop {
        let Some(profile) = set.get(&name) else {
            let message = match visited.last() {
                None => set.not_found_message(&name),
                Some(from) => format!(
                    "profile: source_profile [{name}] of profile [{from}] not found in {}",
                    set.describe_files()
                ),
            };
            return Err(if visited.is_empty() && !set.is_explicit() {
                CredentialsError::not_found(message)
            } else {
                CredentialsError::invalid_configuration(message)
            });
        };
        if visited.contains(&name) {
            visited.push(name);
            return Err(invalid(format!("source_profile loop: {}", visited.join(" -> "))));
        }
        visited.push(name.clone());
        if visited.len() > 1 {
            if let Some(credentials) = static_keys(profile)? {
                break Base::Static(credentials);
            }
        }
        let Some(role_arn) = profile.get("role_arn") else {
            match base_of(profile)? {
                Some(base) => break base,
                None if visited.len() == 1 => {
                    return Err(CredentialsError::not_found(format!(
                        "profile: profile [{name}] in {} has no credentials (no aws_access_key_id, credential_process, \
                         role_arn or web_identity_token_file)",
                        set.describe_files()
                    )))
                }
                None => {
                    return Err(invalid(format!(
                        "source_profile [{name}] of profile [{}] has no credentials",
                        visited[visited.len() - 2]
                    )))
                }
            }
        };
        let role = role_params(profile, role_arn)?;
        if let Some(token_file) = profile.get("web_identity_token_file") {
            break Base::WebIdentity { role, token_file: token_file.to_owned(), profile: name };
        }
        match (profile.get("source_profile"), profile.get("credential_source")) {
            (Some(_), Some(_)) => {
                return Err(invalid(format!(
                    "profile [{name}] sets both source_profile and credential_source; use one"
                )))
            }
            (None, None) => {
                return Err(invalid(format!(
                    "profile [{name}] has role_arn but neither source_profile nor credential_source"
                )))
            }
            (None, Some(source)) => {
                let source = NamedSource::parse(source).ok_or_else(|| {
                    invalid(format!(
                        "credential_source `{source}` of profile [{name}] is not Environment, Ec2InstanceMetadata or EcsContainer"
                    ))
                })?;
                roles.push((role, name.clone()));
                break Base::Named { source, profile: name };
            }
            (Some(source), None) if source == name => {
                let base = base_of(profile)?.ok_or_else(|| {
                    invalid(format!(
                        "profile [{name}] is its own source_profile but has no credentials of its own \
                         (aws_access_key_id or credential_process)"
                    ))
                })?;
                roles.push((role, name));
                break base;
            }
            (Some(source), None) => {
                roles.push((role, name));
                name = source.to_owned();
            }
        }
    };
    roles.reverse();
    Ok(Plan { base, roles })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(config: &str, credentials: &str, profile: Option<&str>) -> Result<Plan, CredentialsError> {
        plan(&ProfileSet::from_texts(Some(config), Some(credentials), profile).unwrap())
    }

    fn role(arn: &str) -> AssumeRoleParams {
        AssumeRoleParams::new(arn)
    }

    #[test]
    fn static_keys_with_and_without_a_token() {
        let plan = plan_of("", "[default]\naws_access_key_id = A\naws_secret_access_key = S\n", None).unwrap();
        assert_eq!(plan, Plan { base: Base::Static(Credentials::new("A", "S", None)), roles: vec![] });
        let plan = plan_of(
            "[profile p]\naws_access_key_id = A\naws_secret_access_key = S\naws_session_token = T\n",
            "",
            Some("p"),
        )
        .unwrap();
        assert_eq!(plan.base, Base::Static(Credentials::new("A", "S", Some("T".into()))));
        let plan = plan_of(
            "",
            "[default]\naws_access_key_id = A\naws_secret_access_key = S\naws_account_id = 123456789012\n",
            None,
        )
        .unwrap();
        assert_eq!(plan.base, Base::Static(Credentials::new("A", "S", None).with_account_id("123456789012")));
    }

    #[test]
    fn assume_role_chains_run_innermost_first() {
        let config = "\
[profile app]
role_arn = arn:aws:iam::1:role/app
source_profile = middle
external_id = ext-1
role_session_name = worker
duration_seconds = 900
[profile middle]
role_arn = arn:aws:iam::1:role/middle
source_profile = base
[profile base]
aws_access_key_id = A
aws_secret_access_key = S
";
        let plan = plan_of(config, "", Some("app")).unwrap();
        assert_eq!(plan.base, Base::Static(Credentials::new("A", "S", None)));
        let app = AssumeRoleParams {
            role_arn: "arn:aws:iam::1:role/app".into(),
            session_name: Some("worker".into()),
            external_id: Some("ext-1".into()),
            duration_seconds: Some(900),
        };
        assert_eq!(plan.roles, vec![(role("arn:aws:iam::1:role/middle"), "middle".into()), (app, "app".into())]);
    }

    #[test]
    fn a_source_profile_with_static_keys_uses_them_over_its_role() {
        let config = "\
[profile app]
role_arn = arn:aws:iam::1:role/app
source_profile = base
[profile base]
role_arn = arn:aws:iam::1:role/ignored
source_profile = nowhere
aws_access_key_id = A
aws_secret_access_key = S
";
        let plan = plan_of(config, "", Some("app")).unwrap();
        assert_eq!(plan.roles.len(), 1);
        assert_eq!(plan.base, Base::Static(Credentials::new("A", "S", None)));
    }

    #[test]
    fn the_first_profile_with_keys_and_a_role_assumes_the_role() {
        let config = "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\naws_access_key_id = A\naws_secret_access_key = S\n";
        let plan = plan_of(config, "", None).unwrap();
        assert_eq!(plan.base, Base::Static(Credentials::new("A", "S", None)));
        assert_eq!(plan.roles, vec![(role("arn:aws:iam::1:role/r"), "default".into())]);
    }

    #[test]
    fn a_profile_that_is_its_own_source_may_use_its_credential_process() {
        let config = "[default]\nrole_arn = arn:r\nsource_profile = default\ncredential_process = helper --x\n";
        let plan = plan_of(config, "", None).unwrap();
        assert_eq!(plan.base, Base::Process { command: "helper --x".into(), profile: "default".into() });
        assert_eq!(plan.roles, vec![(role("arn:r"), "default".into())]);
    }

    #[test]
    fn debug_leaves_out_the_process_command_line() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        let plan = plan_of(&format!("[default]\ncredential_process = helper --secret {secret}\n"), "", None).unwrap();
        let text = format!("{plan:?} {plan:#?}");
        assert!(!text.contains(secret), "{text}");
        assert!(text.contains("Process") && text.contains("default"), "{text}");
    }

    #[test]
    fn named_sources_process_and_web_identity() {
        for (source, expected) in [
            ("Environment", NamedSource::Environment),
            ("Ec2InstanceMetadata", NamedSource::Ec2InstanceMetadata),
            ("EcsContainer", NamedSource::EcsContainer),
        ] {
            let config = format!("[default]\nrole_arn = arn:r\ncredential_source = {source}\n");
            let plan = plan_of(&config, "", None).unwrap();
            assert_eq!(plan.base, Base::Named { source: expected, profile: "default".into() });
            assert_eq!(plan.roles, vec![(role("arn:r"), "default".into())]);
        }
        let plan = plan_of(
            "[default]\ncredential_process = helper --x\naws_access_key_id = A\naws_secret_access_key = S\n",
            "",
            None,
        )
        .unwrap();
        assert_eq!(plan.base, Base::Process { command: "helper --x".into(), profile: "default".into() });
        let config =
            "[default]\nrole_arn = arn:w\nweb_identity_token_file = /t\nrole_session_name = s\nsource_profile = x\n";
        let plan = plan_of(config, "", None).unwrap();
        let mut web = role("arn:w");
        web.session_name = Some("s".into());
        assert_eq!(plan.base, Base::WebIdentity { role: web, token_file: "/t".into(), profile: "default".into() });
        assert!(plan.roles.is_empty());
        // A web identity profile as a source: its token, then the role on top.
        let config = "[profile app]\nrole_arn = arn:app\nsource_profile = web\n[profile web]\nrole_arn = arn:w\nweb_identity_token_file = /t\n";
        let plan = plan_of(config, "", Some("app")).unwrap();
        assert!(matches!(plan.base, Base::WebIdentity { .. }));
        assert_eq!(plan.roles, vec![(role("arn:app"), "app".into())]);
    }

    #[test]
    fn configuration_errors_say_what_is_wrong() {
        let cases = [
            (
                "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nrole_arn = r\nsource_profile = a\n",
                "a",
                "loop: a -> b -> a",
            ),
            (
                "[profile a]\nrole_arn = r\nsource_profile = missing\n",
                "a",
                "source_profile [missing] of profile [a] not found",
            ),
            (
                "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nregion = x\n",
                "a",
                "source_profile [b] of profile [a] has no credentials",
            ),
            ("[profile a]\nrole_arn = r\n", "a", "neither source_profile nor credential_source"),
            ("[profile a]\nrole_arn = r\nsource_profile = a\ncredential_source = Environment\n", "a", "both"),
            ("[profile a]\nrole_arn = r\ncredential_source = Somewhere\n", "a", "`Somewhere`"),
            ("[profile a]\nrole_arn = r\nsource_profile = a\n", "a", "its own source_profile"),
            ("[profile a]\naws_access_key_id = A\n", "a", "no aws_secret_access_key"),
            ("[profile a]\nweb_identity_token_file = /t\n", "a", "no role_arn"),
            ("[profile a]\nsso_session = s\n", "a", "IAM Identity Center"),
            (
                "[profile a]\nrole_arn = r\nsource_profile = b\nduration_seconds = soon\n[profile b]\n",
                "a",
                "duration_seconds",
            ),
            ("", "asked-for", "profile [asked-for] not found"),
        ];
        for (config, profile, fragment) in cases {
            let error = plan_of(config, "", Some(profile)).unwrap_err();
            assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration, "{config}: {error}");
            assert!(error.message().contains(fragment), "{config}: {error}");
        }
    }

    #[test]
    fn a_plan_needing_a_source_this_build_lacks_names_it_before_anything_runs() {
        let cases: [(&str, &[OptionalSource]); 5] = [
            ("[default]\naws_access_key_id = A\naws_secret_access_key = S\n", &[]),
            ("[default]\ncredential_process = helper --token s3cr3t\n", &[OptionalSource::Process]),
            ("[default]\nrole_arn = arn:w\nweb_identity_token_file = /t\n", &[OptionalSource::Sts]),
            (
                "[default]\nrole_arn = arn:r\ncredential_source = Ec2InstanceMetadata\n",
                &[OptionalSource::Sts, OptionalSource::Imds],
            ),
            (
                "[default]\nrole_arn = arn:r\nsource_profile = base\n[profile base]\ncredential_source = EcsContainer\nrole_arn = arn:b\n",
                &[OptionalSource::Sts, OptionalSource::Container],
            ),
        ];
        for (config, needs) in cases {
            let plan = plan_of(config, "", None).unwrap();
            let missing: Vec<&OptionalSource> = needs.iter().filter(|s| !s.is_built_in()).collect();
            match plan.check_built_in() {
                Ok(()) => assert!(missing.is_empty(), "{config}: {missing:?} are not built in"),
                Err(error) => {
                    assert!(!missing.is_empty(), "{config}: {error}");
                    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
                    for source in OptionalSource::ALL {
                        let named = error.message().contains(&format!("`{}`", source.feature()));
                        assert_eq!(named, missing.contains(&&source), "{source:?} in {config}: {error}");
                    }
                    assert!(error.message().contains("profile ["), "{error}");
                    assert!(!error.message().contains("s3cr3t"), "{error}");
                }
            }
        }
    }

    #[test]
    fn nothing_in_the_default_profile_is_not_found() {
        for config in ["", "[default]\nregion = eu-west-1\n", "[profile other]\naws_access_key_id = A\n"] {
            let error = plan_of(config, "", None).unwrap_err();
            assert_eq!(error.kind(), CredentialsErrorKind::NotFound, "{config}: {error}");
        }
        // Asked for by name but without credentials: still nothing here, so a chain can move on.
        let error = plan_of("[profile p]\nregion = x\n", "", Some("p")).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::NotFound);
        assert!(error.message().contains("has no credentials"), "{error}");
    }
}
