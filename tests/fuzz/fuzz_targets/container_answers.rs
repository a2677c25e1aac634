//! Fuzz target: arbitrary answers from the ECS/EKS container credentials endpoint.
//!
//! The input is a script of HTTP responses (see the crate documentation), one per attempt. Any
//! answer may be refused with an error that does not quote the authorization token; a panic or a
//! hang is a bug.
#![no_main]

use std::sync::Arc;

use codepipeline_jobs::runtime::container_credentials::ContainerCredentials;
use codepipeline_jobs::runtime::credentials::{Environment, ProvideCredentials};
use codepipeline_jobs::runtime::provider_http::ProviderHttp;
use libfuzzer_sys::fuzz_target;
use runtime_fuzz::{block_on, ScriptedHttp};

const TOKEN: &str = "container-authorization-token-fuzz";

fuzz_target!(|data: &[u8]| {
    let env = Environment::from_pairs([
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/fuzz"),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN),
    ]);
    let provider = ContainerCredentials::new(env, ProviderHttp::new(Arc::new(ScriptedHttp::new(data))));
    if let Err(error) = block_on(provider.provide_credentials()) {
        assert!(!error.to_string().contains(TOKEN), "error quotes the token: {error}");
    }
});
