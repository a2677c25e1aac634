//! A minimal third-party job worker on `aws-sdk-codepipeline`: acknowledges one job, then reports
//! success (or failure, if acknowledging failed). It exists to be built, not run: its clean
//! release build time and binary size are compared with `worker-generated`'s.

use std::process::ExitCode;

use aws_sdk_codepipeline::types::{ExecutionDetails, FailureDetails, FailureType};
use aws_sdk_codepipeline::Client;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [job_id, nonce, client_token] = args.as_slice() else {
        eprintln!("usage: worker-sdk JOB_ID NONCE CLIENT_TOKEN");
        return ExitCode::FAILURE;
    };
    match run(job_id, nonce, client_token).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(job_id: &str, nonce: &str, client_token: &str) -> Result<(), String> {
    let client = Client::new(&aws_config::load_from_env().await);
    let acknowledged =
        client.acknowledge_third_party_job().job_id(job_id).nonce(nonce).client_token(client_token).send().await;
    match acknowledged {
        Ok(_) => {
            let details = ExecutionDetails::builder().summary("done").percent_complete(100).build();
            client
                .put_third_party_job_success_result()
                .job_id(job_id)
                .client_token(client_token)
                .execution_details(details)
                .send()
                .await
                .map_err(|e| e.to_string())?;
        }
        Err(error) => {
            let details = FailureDetails::builder()
                .r#type(FailureType::JobFailed)
                .message(format!("cannot acknowledge the job: {error}"))
                .build()
                .map_err(|e| e.to_string())?;
            client
                .put_third_party_job_failure_result()
                .job_id(job_id)
                .client_token(client_token)
                .failure_details(details)
                .send()
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
