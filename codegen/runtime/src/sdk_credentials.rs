//! Any credentials provider of the official SDK's `aws-credential-types` (from `aws-config`, or one of
//! your own) used as this client's: [`SdkCredentials`]. Compiled only with the crate's
//! `aws-credential-types` feature, so the default build never pulls in the SDK's runtime types.
//!
//! ```text
//! let sdk_config = aws_config::load_from_env().await;
//! let provider = sdk_config.credentials_provider().expect("a provider");
//! let config = Config::from_env(&SERVICE).credentials_provider(SdkCredentials::new(provider));
//! ```
//!
//! The SDK provider keeps its own caching. Its errors keep their kind ("not loaded" becomes
//! [`CredentialsErrorKind::NotFound`], so a chain moves on) and their message, which the SDK writes
//! without secrets.
#![cfg(feature = "aws-credential-types")]

use std::error::Error;
use std::fmt;

use aws_credential_types::provider::error::CredentialsError as SdkError;
use aws_credential_types::provider::ProvideCredentials as SdkProvider;

use super::credentials::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideCredentialsFuture,
};

/// Wraps an `aws-credential-types` provider; see the [module documentation](self).
pub struct SdkCredentials<P> {
    provider: P,
}

impl<P: fmt::Debug> fmt::Debug for SdkCredentials<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SdkCredentials").field(&self.provider).finish()
    }
}

impl<P: SdkProvider> SdkCredentials<P> {
    /// Uses `provider`'s credentials.
    pub fn new(provider: P) -> Self {
        SdkCredentials { provider }
    }
}

/// The SDK error's text and its causes, on one line.
fn describe(error: &SdkError) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

fn convert(error: SdkError) -> CredentialsError {
    let kind = match &error {
        SdkError::CredentialsNotLoaded(_) => CredentialsErrorKind::NotFound,
        SdkError::InvalidConfiguration(_) => CredentialsErrorKind::InvalidConfiguration,
        _ => CredentialsErrorKind::ProviderError,
    };
    CredentialsError::new(kind, format!("aws-credential-types provider: {}", describe(&error)))
}

impl<P: SdkProvider> ProvideCredentials for SdkCredentials<P> {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(async move {
            let sdk = self.provider.provide_credentials().await.map_err(convert)?;
            let mut credentials =
                Credentials::new(sdk.access_key_id(), sdk.secret_access_key(), sdk.session_token().map(str::to_owned));
            if let Some(account_id) = sdk.account_id() {
                credentials = credentials.with_account_id(account_id.as_str());
            }
            Ok(match sdk.expiry() {
                Some(expiry) => credentials.with_expiry(expiry),
                None => credentials,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_credential_types::provider::future;
    use std::time::{Duration, SystemTime};

    #[tokio::test]
    async fn sdk_credentials_come_through_with_token_and_expiry() {
        let expiry = SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        let sdk =
            aws_credential_types::Credentials::new("AKIDSDK", "secret", Some("token".into()), Some(expiry), "test");
        let credentials = SdkCredentials::new(sdk).provide_credentials().await.unwrap();
        assert_eq!(credentials.access_key_id(), "AKIDSDK");
        assert_eq!(credentials.secret_access_key(), "secret");
        assert_eq!(credentials.session_token(), Some("token"));
        assert_eq!(credentials.expiry(), Some(expiry));
        assert_eq!(credentials.account_id(), None);
        let sdk = aws_credential_types::Credentials::builder()
            .access_key_id("AKIDSDK")
            .secret_access_key("secret")
            .account_id("123456789012")
            .provider_name("test")
            .build();
        let credentials = SdkCredentials::new(sdk).provide_credentials().await.unwrap();
        assert_eq!(credentials.account_id(), Some("123456789012"));
    }

    #[derive(Debug)]
    struct Failing(fn() -> SdkError);

    impl SdkProvider for Failing {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::ready(Err((self.0)()))
        }
    }

    #[tokio::test]
    async fn sdk_errors_keep_their_kind_and_message() {
        let cases: [(fn() -> SdkError, CredentialsErrorKind); 3] = [
            (|| SdkError::not_loaded("nothing in this source"), CredentialsErrorKind::NotFound),
            (|| SdkError::invalid_configuration("bad profile"), CredentialsErrorKind::InvalidConfiguration),
            (|| SdkError::provider_error("STS said no"), CredentialsErrorKind::ProviderError),
        ];
        for (make, kind) in cases {
            let error = SdkCredentials::new(Failing(make)).provide_credentials().await.unwrap_err();
            assert_eq!(error.kind(), kind);
            let expected = describe(&make());
            assert!(error.message().ends_with(&expected), "{error}");
        }
    }
}
