//! Fuzz target: arbitrary bytes as the standard output of a `credential_process` program.
//!
//! The provider reads the output as JSON, checks `Version` and hands the document to
//! `credentials_from_json` (running a program per input would leave the fuzzer a few hundred
//! executions a second; the reading is what is fuzzed). Bad output is an error that never quotes
//! the output, which holds secrets; a panic or a hang is a bug.
#![no_main]

use codepipeline_jobs::runtime::credentials::credentials_from_json;
use libfuzzer_sys::fuzz_target;

const SOURCE: &str = "credential_process of profile [fuzz]";

fuzz_target!(|data: &[u8]| {
    let Ok(document) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    if document.get("Version").and_then(serde_json::Value::as_u64) != Some(1) {
        return;
    }
    match credentials_from_json(&document, "SessionToken", SOURCE) {
        Ok(credentials) => {
            assert!(!credentials.access_key_id().is_empty());
            assert!(!credentials.secret_access_key().is_empty());
            // `Debug` never shows the secret (a short one may occur in other text by chance).
            let secret = credentials.secret_access_key();
            let elsewhere = credentials.access_key_id().contains(secret)
                || credentials.session_token().is_some_and(|token| token.contains(secret))
                || credentials.account_id().is_some_and(|account| account.contains(secret));
            if secret.len() >= 16 && !elsewhere {
                assert!(!format!("{credentials:?}").contains(secret), "Debug shows the secret");
            }
        }
        Err(error) => {
            assert!(error.message().starts_with(SOURCE), "error without its source: {error}");
            if let Some(secret) = document.get("SecretAccessKey").and_then(|s| s.as_str()).filter(|s| s.len() >= 8) {
                assert!(!error.to_string().contains(secret), "error quotes the secret: {error}");
            }
        }
    }
});
