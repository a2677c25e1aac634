//! Fuzz target: arbitrary answers from the EC2 instance metadata service.
//!
//! The input is a script of HTTP responses (see the crate documentation) given, in order, to the
//! session token request, the role listing and the role's credentials, with retries as the
//! service's status codes ask; then the region is read from what is left. Any answer may be
//! refused with an error; a panic or a hang is a bug.
#![no_main]

use std::sync::Arc;

use codepipeline_jobs::runtime::imds::ImdsClient;
use codepipeline_jobs::runtime::provider_http::ProviderHttp;
use libfuzzer_sys::fuzz_target;
use runtime_fuzz::{block_on, ScriptedHttp};

fuzz_target!(|data: &[u8]| {
    let http = ProviderHttp::new(Arc::new(ScriptedHttp::new(data)));
    let client = ImdsClient::new("http://169.254.169.254", http);
    block_on(async {
        let _ = client.role_credentials().await;
        if let Ok(region) = client.region().await {
            assert!(!region.is_empty() && region == region.trim());
        }
    });
});
