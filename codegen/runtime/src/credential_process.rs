//! Credentials printed by an external program: a profile's `credential_process`, run through the
//! shell (`sh -c`, or `cmd.exe /C` on Windows).
//!
//! The program prints one JSON object on its standard output: `Version` 1, `AccessKeyId`,
//! `SecretAccessKey`, and optionally `SessionToken` and an RFC 3339 `Expiration`. Its standard error
//! goes to this process's standard error (it is how such programs explain themselves), and never into
//! an error message here, which names the profile and the exit status only: neither the command line
//! nor the output, since either may hold a secret.
//!
//! The program runs on tokio's blocking pool through `std::process`, rather than through tokio's
//! `process` feature, which would add signal handling to every generated crate for this one source.
//! A program that has not finished after [`PROCESS_TIMEOUT`] is killed, so a hung helper is an error
//! rather than a hang.

use std::fmt;
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::credentials::{
    credentials_from_json, Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture,
};

/// How long the program may take; generous, since some prompt for a second factor.
pub const PROCESS_TIMEOUT: Duration = Duration::from_secs(60);

/// The most output read from the program.
const MAX_OUTPUT_BYTES: u64 = 64 * 1024;

/// Runs a `credential_process` command.
///
/// `Debug` names the profile it came from, not the command.
#[derive(Clone)]
pub struct ProcessCredentials {
    command: String,
    origin: String,
    timeout: Duration,
}

impl fmt::Debug for ProcessCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessCredentials").field("origin", &self.origin).finish_non_exhaustive()
    }
}

impl ProcessCredentials {
    /// Runs `command`; `origin` (`profile [name]`) names it in errors.
    pub fn new(command: impl Into<String>, origin: impl Into<String>) -> Self {
        ProcessCredentials { command: command.into(), origin: origin.into(), timeout: PROCESS_TIMEOUT }
    }

    /// Kills the program after `timeout` instead of [`PROCESS_TIMEOUT`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn source(&self) -> String {
        format!("credential_process of {}", self.origin)
    }

    /// Runs the program and reads its credentials.
    pub async fn run(&self) -> Result<Credentials, CredentialsError> {
        let source = self.source();
        let mut child = shell(&self.command)
            .stdin(Stdio::inherit())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| CredentialsError::provider_error(format!("{source}: cannot start the shell: {e}")))?;
        let stdout = child.stdout.take();
        let child = Arc::new(Mutex::new(child));
        let waiting = Arc::clone(&child);
        let job = tokio::task::spawn_blocking(move || collect(stdout, &waiting));
        let (status, output) = match tokio::time::timeout(self.timeout, job).await {
            Ok(Ok(Ok(finished))) => finished,
            Ok(Ok(Err(e))) => {
                return Err(CredentialsError::provider_error(format!("{source}: cannot read its output: {e}")))
            }
            Ok(Err(_)) => return Err(CredentialsError::provider_error(format!("{source}: the reader stopped"))),
            Err(_) => {
                // Killing closes its output, which ends the blocking reader.
                let _ = lock(&child).kill();
                return Err(CredentialsError::provider_error(format!(
                    "{source}: did not finish within {:?} and was stopped",
                    self.timeout
                )));
            }
        };
        if !status.success() {
            let how = status
                .code()
                .map_or_else(|| "was stopped by a signal".to_owned(), |c| format!("exited with status {c}"));
            return Err(CredentialsError::provider_error(format!("{source}: {how} (its standard error says why)")));
        }
        let document: serde_json::Value = serde_json::from_slice(&output)
            .map_err(|_| CredentialsError::provider_error(format!("{source}: its output is not a JSON object")))?;
        match document.get("Version").and_then(serde_json::Value::as_u64) {
            Some(1) => {}
            Some(_) => {
                return Err(CredentialsError::provider_error(format!("{source}: only output `Version` 1 is supported")))
            }
            None => {
                return Err(CredentialsError::provider_error(format!("{source}: its output has no numeric `Version`")))
            }
        }
        credentials_from_json(&document, "SessionToken", &source)
    }
}

fn lock(child: &Mutex<Child>) -> std::sync::MutexGuard<'_, Child> {
    child.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Reads the program's output to its end, then waits for it to exit, releasing the lock between
/// polls so that a timeout can still kill it.
fn collect(
    stdout: Option<std::process::ChildStdout>,
    child: &Mutex<Child>,
) -> std::io::Result<(std::process::ExitStatus, Vec<u8>)> {
    let mut output = Vec::new();
    if let Some(stdout) = stdout {
        stdout.take(MAX_OUTPUT_BYTES).read_to_end(&mut output)?;
    }
    loop {
        if let Some(status) = lock(child).try_wait()? {
            return Ok((status, output));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(not(windows))]
fn shell(command: &str) -> Command {
    let mut shell = Command::new("sh");
    shell.arg("-c").arg(command);
    shell
}

#[cfg(windows)]
fn shell(command: &str) -> Command {
    let mut shell = Command::new("cmd.exe");
    shell.arg("/C").arg(command);
    shell
}

impl ProvideCredentials for ProcessCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.run())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::super::credentials::CredentialsErrorKind;
    use super::*;
    use std::time::SystemTime;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn process(command: &str) -> ProcessCredentials {
        ProcessCredentials::new(command, "profile [test]")
    }

    #[tokio::test]
    async fn reads_keys_token_and_expiry_from_the_output() {
        let command = format!(
            r#"printf '%s' '{{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "{SECRET}", "SessionToken": "tok", "Expiration": "2030-01-01T00:00:00Z"}}'"#
        );
        let creds = process(&command).run().await.unwrap();
        assert_eq!(creds.access_key_id(), "AKIDPROCESS");
        assert_eq!(creds.secret_access_key(), SECRET);
        assert_eq!(creds.session_token(), Some("tok"));
        assert_eq!(creds.expiry(), Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_456_000)));

        let creds = process(r#"echo '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S"}'"#).run().await.unwrap();
        assert_eq!((creds.session_token(), creds.expiry()), (None, None));
    }

    #[tokio::test]
    async fn a_failing_program_is_an_error_naming_the_profile_and_status() {
        // The program's stderr goes to the user's terminal, as the SDKs do; it is never copied
        // into the error, which may end up in a log.
        let error = process("echo 'diagnostic from the program' >&2; exit 3").run().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
        assert!(error.message().contains("credential_process of profile [test]: exited with status 3"), "{error}");
        assert!(!error.to_string().contains("diagnostic from the program"));
    }

    #[tokio::test]
    async fn bad_output_is_an_error_that_does_not_quote_it() {
        for (output, fragment) in [
            (format!("not json {SECRET}"), "not a JSON object"),
            (format!(r#"{{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "{SECRET}"}}"#), "Version` 1"),
            (format!(r#"{{"AccessKeyId": "A", "SecretAccessKey": "{SECRET}"}}"#), "no numeric `Version`"),
            (r#"{"Version": 1, "AccessKeyId": "A"}"#.to_owned(), "no `SecretAccessKey`"),
            (
                format!(r#"{{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "{SECRET}", "Expiration": "x"}}"#),
                "expiration",
            ),
        ] {
            let error = process(&format!("printf '%s' '{output}'")).run().await.unwrap_err();
            assert!(error.message().contains(fragment), "{output}: {error}");
            assert!(!error.to_string().contains(SECRET), "{error}");
        }
    }

    #[tokio::test]
    async fn a_hung_program_is_stopped() {
        let started = std::time::Instant::now();
        let error = process("exec sleep 5").timeout(Duration::from_millis(200)).run().await.unwrap_err();
        assert!(error.message().contains("did not finish within"), "{error}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn debug_does_not_show_the_command() {
        let text = format!("{:?}", process(&format!("helper --secret {SECRET}")));
        assert!(!text.contains(SECRET), "{text}");
        assert!(text.contains("profile [test]"), "{text}");
    }
}
