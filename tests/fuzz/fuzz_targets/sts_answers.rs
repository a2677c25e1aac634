//! Fuzz target: arbitrary answers from STS to `AssumeRoleWithWebIdentity` and `AssumeRole`.
//!
//! The input is a script of HTTP responses (see the crate documentation), one per attempt, XML
//! bodies read by the success and error paths. Any answer may be refused with an error that never
//! quotes the web identity token; a panic or a hang is a bug.
#![no_main]

use std::sync::Arc;

use codepipeline_jobs::runtime::credentials::{Credentials, Environment};
use codepipeline_jobs::runtime::provider_http::ProviderHttp;
use codepipeline_jobs::runtime::sts::{AssumeRoleParams, StsClient};
use libfuzzer_sys::fuzz_target;
use runtime_fuzz::{block_on, ScriptedHttp};

const ROLE: &str = "arn:aws:iam::123456789012:role/fuzz";
const TOKEN: &str = "web-identity-token-fuzz";

fuzz_target!(|data: &[u8]| {
    let http = ProviderHttp::new(Arc::new(ScriptedHttp::new(data)));
    let sts = StsClient::new(&Environment::from_fn(|_| None), None, http, "us-east-1").expect("STS in us-east-1");
    block_on(async {
        match sts.assume_role_with_web_identity(ROLE, "fuzz-session", TOKEN).await {
            Ok(credentials) => assert!(credentials.expiry().is_some(), "STS credentials without an expiry"),
            Err(error) => assert!(!error.to_string().contains(TOKEN), "error quotes the token: {error}"),
        }
        let source = Credentials::new("AKIDFUZZ", "fuzz-secret-access-key", None);
        let _ = sts.assume_role(&source, &AssumeRoleParams::new(ROLE)).await;
    });
});
