//! A third-party job worker: acknowledges a CodePipeline job, does its work, and reports the outcome.
//!
//! The client is configured from wherever the worker runs, as the AWS SDKs are: the region from
//! `AWS_REGION` (or `AWS_DEFAULT_REGION`), the profile in `~/.aws/config`, or the EC2 instance;
//! credentials from the environment, the profile (keys, `credential_process`, an assumed role), web
//! identity (EKS IRSA), the ECS or EKS container endpoint, or the EC2 instance role (the README
//! lists the chain); FIPS or dual-stack endpoints with `AWS_USE_FIPS_ENDPOINT=true` or
//! `AWS_USE_DUALSTACK_ENDPOINT=true`; and, for a test or a proxy, the endpoint from
//! `AWS_ENDPOINT_URL_CODEPIPELINE` or `AWS_ENDPOINT_URL`.
//!
//! A worker finds jobs with `PollForThirdPartyJobs`, which this crate does not cover; pass the job's
//! ID, nonce and client token as arguments, or as the environment variables `JOB_ID`, `JOB_NONCE`
//! and `CLIENT_TOKEN`. The last argument (or `JOB_OUTCOME`) says how the pretend work ends:
//!
//! ```text
//! cargo run --example job_worker -- <job-id> <nonce> <client-token> [succeed|fail]
//! ```
//!
//! `succeed` reports success with a continuation token, which tells CodePipeline the action is not
//! finished and to hand the token to the next job for it; `fail` reports a failure with details.

use std::error::Error;
use std::process::ExitCode;

use codepipeline_jobs::error::AcknowledgeThirdPartyJobError;
use codepipeline_jobs::types::{ExecutionDetails, FailureDetails, FailureType, JobStatus};
use codepipeline_jobs::Client;

/// What the worker was asked to do, from the command line or the environment.
struct Job {
    id: String,
    nonce: String,
    client_token: String,
    succeed: bool,
}

impl Job {
    fn from_args_or_env() -> Result<Job, String> {
        let mut args = std::env::args().skip(1);
        let mut value = |env_name: &str| {
            args.next()
                .or_else(|| std::env::var(env_name).ok())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| format!("missing {env_name}: pass it as an argument or set it in the environment"))
        };
        let id = value("JOB_ID")?;
        let nonce = value("JOB_NONCE")?;
        let client_token = value("CLIENT_TOKEN")?;
        let succeed = match value("JOB_OUTCOME").as_deref() {
            Ok("succeed") | Err(_) => true,
            Ok("fail") => false,
            Ok(other) => return Err(format!("the outcome must be `succeed` or `fail`, not `{other}`")),
        };
        Ok(Job { id, nonce, client_token, succeed })
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Print the whole chain: the top error says which call failed, its sources say why.
            eprintln!("error: {error}");
            let mut source = error.source();
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let job = Job::from_args_or_env()?;
    let client = Client::from_env()?;

    // Claim the job. Someone else may have claimed it, or it may be gone: both are normal for a
    // worker and are reported without doing any work.
    let acknowledged = client
        .acknowledge_third_party_job()
        .job_id(&job.id)
        .nonce(&job.nonce)
        .client_token(&job.client_token)
        .send()
        .await;
    let status = match acknowledged {
        Ok(output) => output.status,
        Err(error) => {
            if let Some(AcknowledgeThirdPartyJobError::JobNotFoundException(_)) = error.as_service_error() {
                println!("job {} no longer exists; nothing to do", job.id);
                return Ok(());
            }
            return Err(format!("could not acknowledge job {}: {error}", job.id).into());
        }
    };
    if status != Some(JobStatus::InProgress) {
        let shown = status.as_ref().map_or("unknown", JobStatus::as_str);
        println!("job {} is {shown}, not InProgress; leaving it alone", job.id);
        return Ok(());
    }
    println!("acknowledged job {}", job.id);

    // The pretend work: a real worker would deploy, test or build here.
    let run_id = format!("run-{}", job.id);
    if job.succeed {
        let details = ExecutionDetails::builder()
            .summary("Deployed the first half of the fleet")
            .external_execution_id(&run_id)
            .percent_complete(50)
            .build()?;
        client
            .put_third_party_job_success_result()
            .job_id(&job.id)
            .client_token(&job.client_token)
            .continuation_token("second-half")
            .execution_details(details)
            .send()
            .await
            .map_err(|e| format!("could not report success for job {}: {e}", job.id))?;
        println!("reported success for job {} (to be continued)", job.id);
    } else {
        let details = FailureDetails::builder()
            .r#type(FailureType::JobFailed)
            .message("The deployment's health check failed")
            .external_execution_id(&run_id)
            .build()?;
        client
            .put_third_party_job_failure_result()
            .job_id(&job.id)
            .client_token(&job.client_token)
            .failure_details(details)
            .send()
            .await
            .map_err(|e| format!("could not report failure for job {}: {e}", job.id))?;
        println!("reported failure for job {}", job.id);
    }
    Ok(())
}
