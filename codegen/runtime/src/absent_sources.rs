//! Stand-ins the default chain puts where a credential source is compiled out (its Cargo feature is
//! off): each has nothing when nothing asks for its source, and is an
//! [`InvalidConfiguration`](CredentialsErrorKind::InvalidConfiguration) error naming the source and
//! its feature when the environment or the profile does, so a build without a source never passes
//! over configuration meant for it and silently uses another identity.
//!
//! IMDS is asked by the chain without any setting asking for it, so its stand-in only says, among
//! the places looked, that it is not built in.

// Each stand-in exists only in builds without its source; with every feature on, none is used.
#![allow(dead_code)]

use super::credentials::{
    sources_left_out, Credentials, CredentialsError, CredentialsErrorKind, Environment, OptionalSource,
    ProvideCredentials, ProvideCredentialsFuture,
};
use super::profile_file::{Profile, ProfileSet, ProfileSource};

/// The settings of a profile that make it a source of credentials, with the sources each needs
/// beyond the profile reader itself.
fn sources_a_profile_needs(profile: &Profile) -> Option<(String, Vec<OptionalSource>)> {
    let mut settings = Vec::new();
    let mut sources = vec![OptionalSource::Profile];
    for key in ["aws_access_key_id", "aws_secret_access_key", "source_profile"] {
        if profile.get(key).is_some() {
            settings.push(key.to_owned());
        }
    }
    if profile.get("credential_process").is_some() {
        settings.push("credential_process".to_owned());
        sources.push(OptionalSource::Process);
    }
    for key in ["role_arn", "web_identity_token_file"] {
        if profile.get(key).is_some() {
            settings.push(key.to_owned());
            sources.push(OptionalSource::Sts);
        }
    }
    if let Some(named) = profile.get("credential_source") {
        settings.push(format!("credential_source = {named}"));
        match named {
            "Ec2InstanceMetadata" => sources.push(OptionalSource::Imds),
            "EcsContainer" => sources.push(OptionalSource::Container),
            _ => {}
        }
    }
    if settings.is_empty() {
        None
    } else {
        Some((settings.join(", "), sources))
    }
}

/// In place of the profile source (`credentials-profile` off): reads the chosen profile only to see
/// whether it names credentials.
#[derive(Clone, Debug)]
pub(crate) struct ProfileLeftOut {
    env: Environment,
    profile: Option<String>,
}

impl ProfileLeftOut {
    pub(crate) fn new(env: Environment, profile: Option<String>) -> Self {
        ProfileLeftOut { env, profile }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        // Reading the profile files blocks; it runs on tokio's blocking pool, not the executor.
        let (env, profile) = (self.env.clone(), self.profile.clone());
        tokio::task::spawn_blocking(move || {
            let set = ProfileSet::load(&env, &ProfileSource { profile, ..ProfileSource::default() })?;
            Self::check(&set)
        })
        .await
        .map_err(|_| CredentialsError::provider_error("profile: the thread reading the files stopped"))?
    }

    fn check(set: &ProfileSet) -> Result<Credentials, CredentialsError> {
        let name = set.selected_name();
        let Some(profile) = set.selected() else {
            let message = set.not_found_message(name);
            return Err(if set.is_explicit() {
                CredentialsError::invalid_configuration(message)
            } else {
                CredentialsError::not_found(message)
            });
        };
        match sources_a_profile_needs(profile) {
            Some((settings, sources)) => Err(sources_left_out(
                &format!("profile: profile [{name}] in {} sets {settings}", set.describe_files()),
                &sources,
            )),
            None => Err(CredentialsError::not_found(format!(
                "profile: profile [{name}] in {} has no credentials",
                set.describe_files()
            ))),
        }
    }
}

impl ProvideCredentials for ProfileLeftOut {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// In place of web identity from the environment (`credentials-sts` off).
#[derive(Clone, Debug)]
pub(crate) struct WebIdentityLeftOut {
    env: Environment,
}

impl WebIdentityLeftOut {
    pub(crate) fn new(env: Environment) -> Self {
        WebIdentityLeftOut { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        if self.env.get("AWS_WEB_IDENTITY_TOKEN_FILE").is_none() {
            return Err(CredentialsError::not_found("web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set"));
        }
        Err(sources_left_out("web identity: AWS_WEB_IDENTITY_TOKEN_FILE is set", &[OptionalSource::Sts]))
    }
}

impl ProvideCredentials for WebIdentityLeftOut {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}

/// In place of the container endpoint (`credentials-container` off).
#[derive(Clone, Debug)]
pub(crate) struct ContainerLeftOut {
    env: Environment,
}

impl ContainerLeftOut {
    pub(crate) fn new(env: Environment) -> Self {
        ContainerLeftOut { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let set = ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"]
            .into_iter()
            .find(|variable| self.env.get(variable).is_some());
        match set {
            None => Err(CredentialsError::not_found(
                "container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
            )),
            Some(variable) => {
                Err(sources_left_out(&format!("container: {variable} is set"), &[OptionalSource::Container]))
            }
        }
    }
}

impl ProvideCredentials for ContainerLeftOut {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}

/// In place of IMDS (`credentials-imds` off): nothing here, and the chain's final error says why.
#[derive(Clone, Debug)]
pub(crate) struct ImdsLeftOut;

impl ProvideCredentials for ImdsLeftOut {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        let message =
            format!("IMDS: not built into this client (the Cargo feature `{}`)", OptionalSource::Imds.feature());
        Box::pin(std::future::ready(Err(CredentialsError::new(CredentialsErrorKind::NotFound, message))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(config: &str, profile: Option<&str>) -> ProfileSet {
        ProfileSet::from_texts(Some(config), None, profile).unwrap()
    }

    fn env(pairs: &[(&str, &str)]) -> Environment {
        Environment::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[cfg(not(feature = "credentials-profile"))]
    #[test]
    fn a_profile_naming_credentials_is_an_error_naming_every_feature_it_needs() {
        let error =
            ProfileLeftOut::check(&set("[default]\ncredential_process = helper --token s3cr3t\n", None)).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration, "{error}");
        assert!(error.message().contains("profile [default]") && error.message().contains("credential_process"));
        assert!(error.message().contains("`credentials-profile`"), "{error}");
        assert_eq!(
            error.message().contains("`credentials-process`"),
            !OptionalSource::Process.is_built_in(),
            "{error}"
        );
        assert!(!error.message().contains("s3cr3t"), "the command line may hold a secret: {error}");

        let error = ProfileLeftOut::check(&set(
            "[profile ci]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Ec2InstanceMetadata\n",
            Some("ci"),
        ))
        .unwrap_err();
        assert!(error.message().contains("role_arn, credential_source = Ec2InstanceMetadata"), "{error}");
        for source in [OptionalSource::Profile, OptionalSource::Sts, OptionalSource::Imds] {
            let named = error.message().contains(&format!("`{}`", source.feature()));
            assert_eq!(named, !source.is_built_in(), "{source:?}: {error}");
        }
        assert!(!error.message().contains("credentials-process"), "{error}");

        let error = ProfileLeftOut::check(&set(
            "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = S\n",
            None,
        ))
        .unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration, "{error}");
        assert!(!error.message().contains("AKIDEXAMPLE") && error.message().contains("aws_access_key_id"), "{error}");
    }

    #[test]
    fn a_profile_without_credentials_is_nothing_here() {
        for (config, profile) in
            [("", None), ("[default]\nregion = eu-west-1\n", None), ("[profile p]\nregion = x\n", Some("p"))]
        {
            let error = ProfileLeftOut::check(&set(config, profile)).unwrap_err();
            assert_eq!(error.kind(), CredentialsErrorKind::NotFound, "{config}: {error}");
        }
        // A profile asked for by name that is not there is a mistake, as with the profile source.
        let error = ProfileLeftOut::check(&set("", Some("missing"))).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration, "{error}");
    }

    #[test]
    fn variables_that_ask_for_nothing_are_nothing_here() {
        let nothing = env(&[]);
        assert_eq!(WebIdentityLeftOut::new(nothing.clone()).load().unwrap_err().kind(), CredentialsErrorKind::NotFound);
        assert_eq!(ContainerLeftOut::new(nothing).load().unwrap_err().kind(), CredentialsErrorKind::NotFound);
    }

    #[cfg(not(feature = "credentials-sts"))]
    #[test]
    fn a_web_identity_token_without_sts_is_an_error_naming_its_feature() {
        let error =
            WebIdentityLeftOut::new(env(&[("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token")])).load().unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(error.message().contains("AWS_WEB_IDENTITY_TOKEN_FILE"), "{error}");
        assert!(error.message().contains("STS") && error.message().contains("`credentials-sts`"), "{error}");
    }

    #[cfg(not(feature = "credentials-container"))]
    #[test]
    fn container_variables_without_the_container_source_are_an_error_naming_its_feature() {
        for variable in ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"] {
            let error = ContainerLeftOut::new(env(&[(variable, "/v2/credentials/x")])).load().unwrap_err();
            assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
            assert!(error.message().contains(variable), "{error}");
            assert!(error.message().contains("`credentials-container`"), "{error}");
        }
    }
}
