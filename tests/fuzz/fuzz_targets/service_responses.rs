//! Fuzz target: arbitrary CodePipeline responses through the client's awsJson 1.1 deserializers.
//!
//! The input is a script of HTTP responses (see the crate documentation) answering, in order,
//! `AcknowledgeThirdPartyJob` and `PutThirdPartyJobSuccessResult`, without retries: status,
//! `x-amzn-ErrorType` and the JSON body pick the output or the modelled or unknown error. Any
//! response may be an error; a panic or a hang is a bug.
#![no_main]

use codepipeline_jobs::client::{Client, Config, Credentials, RetryConfig};
use libfuzzer_sys::fuzz_target;
use runtime_fuzz::{block_on, ScriptedHttp};

fuzz_target!(|data: &[u8]| {
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKIDFUZZ", "fuzz-secret-access-key", None))
        .retry_config(RetryConfig::disabled())
        .http_client(ScriptedHttp::new(data));
    let client = Client::from_conf(config).expect("a client for us-east-1");
    block_on(async {
        let _ = client.acknowledge_third_party_job().job_id("job").nonce("nonce").client_token("token").send().await;
        let _ = client.put_third_party_job_success_result().job_id("job").client_token("token").send().await;
    });
});
