//! Credentials printed by an external program: a profile's `credential_process`, run through the
//! shell (`sh -c`, or `cmd.exe /C` on Windows).
//!
//! The program prints one JSON object on its standard output: `Version` 1, `AccessKeyId`,
//! `SecretAccessKey`, and optionally `SessionToken` and an RFC 3339 `Expiration`. Its standard error
//! goes to this process's standard error (it is how such programs explain themselves), and never into
//! an error message here, which names the profile and the exit status only: neither the command line
//! nor the output, since either may hold a secret.
//!
//! The program runs through `std::process` rather than tokio's `process` feature, which would add
//! signal handling to every generated crate for this one source. It gets a process group of its own
//! (on Unix), and a guard kills the whole group, not just the shell, when the program has not
//! finished after [`PROCESS_TIMEOUT`] and when the caller stops waiting (a call timeout, a `select!`,
//! a cancelled refresh): a pipeline or a backgrounded child would otherwise keep running, keep the
//! output pipe open, and meet the next caller's helper on the same terminal. Its output is read on a
//! thread of its own, not tokio's blocking pool; killing the group closes the pipe, which ends that
//! thread.

use std::fmt;
use std::io::Read;
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
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
        let mut command = shell(&self.command);
        command.stdin(Stdio::inherit()).stdout(Stdio::piped()).stderr(Stdio::inherit());
        own_process_group(&mut command);
        let mut child = command
            .spawn()
            .map_err(|e| CredentialsError::provider_error(format!("{source}: cannot start the shell: {e}")))?;
        let stdout = child.stdout.take();
        // From here on, however this future ends, the guard stops whatever the program started.
        let group = ProcessGroup { leader: child.id(), finished: false };
        let (sender, finished) = tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name("credential-process".to_owned())
            .spawn(move || {
                let _ = sender.send(collect(stdout, child));
            })
            .map_err(|e| {
                CredentialsError::provider_error(format!("{source}: cannot start a thread to read it: {e}"))
            })?;
        let (status, output) = match tokio::time::timeout(self.timeout, finished).await {
            Ok(Ok(Ok(Collected::Exited(status, output)))) => {
                group.finish();
                (status, output)
            }
            Ok(Ok(Ok(Collected::TooLong))) => {
                return Err(CredentialsError::provider_error(format!(
                    "{source}: its output is longer than {MAX_OUTPUT_BYTES} bytes; it was stopped"
                )))
            }
            Ok(Ok(Err(e))) => {
                return Err(CredentialsError::provider_error(format!("{source}: cannot read its output: {e}")))
            }
            Ok(Err(_)) => return Err(CredentialsError::provider_error(format!("{source}: the reader stopped"))),
            Err(_) => {
                return Err(CredentialsError::provider_error(format!(
                    "{source}: did not finish within {:?} and was stopped",
                    self.timeout
                )))
            }
        };
        if !status.success() {
            let how = status
                .code()
                .map_or_else(|| "was stopped by a signal".to_owned(), |c| format!("exited with status {c}"));
            return Err(CredentialsError::provider_error(format!("{source}: {how} (its standard error says why)")));
        }
        let document = crate::json::from_slice(&output)
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

/// What the reader thread saw.
enum Collected {
    /// The program closed its output and exited.
    Exited(ExitStatus, Vec<u8>),
    /// It wrote more than [`MAX_OUTPUT_BYTES`]; the rest was not read.
    TooLong,
}

/// Reads the program's output to its end, then reaps it. Runs on its own thread: it blocks until
/// every process holding the pipe has closed it or been killed.
fn collect(stdout: Option<ChildStdout>, mut child: Child) -> std::io::Result<Collected> {
    let mut output = Vec::new();
    let read = match stdout {
        Some(stdout) => stdout.take(MAX_OUTPUT_BYTES + 1).read_to_end(&mut output).map(|_| ()),
        None => Ok(()),
    };
    if read.is_err() || output.len() as u64 > MAX_OUTPUT_BYTES {
        // The guard kills the group when the caller sees this; wait so that the shell is reaped.
        let _ = child.kill();
    }
    let status = child.wait();
    read?;
    if output.len() as u64 > MAX_OUTPUT_BYTES {
        return Ok(Collected::TooLong);
    }
    Ok(Collected::Exited(status?, output))
}

/// The program's process group (on Windows, its process tree), killed on drop unless it finished.
struct ProcessGroup {
    /// The shell's process id, which is also the group's id.
    leader: u32,
    finished: bool,
}

impl ProcessGroup {
    /// The program exited and closed its output: nothing is left to stop.
    fn finish(mut self) {
        self.finished = true;
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        if !self.finished {
            kill_group(self.leader);
        }
    }
}

#[cfg(unix)]
fn own_process_group(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

#[cfg(unix)]
fn kill_group(leader: u32) {
    // The group outlives its leader while any member is alive, so its id cannot have been reused
    // by another group yet: the reader thread is still waiting on a member that holds the pipe.
    let group = i32::try_from(leader).ok().and_then(rustix::process::Pid::from_raw);
    if let Some(group) = group {
        // A group that is already gone is what this wants anyway.
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
    }
}

#[cfg(windows)]
fn own_process_group(_command: &mut Command) {}

#[cfg(windows)]
fn kill_group(leader: u32) {
    // `taskkill /T` stops the process and every process it started.
    let _ = Command::new("taskkill")
        .args(["/T", "/F", "/PID", &leader.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
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

    /// A scratch directory for the pid files the programs below write.
    struct PidDir(std::path::PathBuf);

    impl PidDir {
        fn new(tag: &str) -> Self {
            let dir = std::env::temp_dir().join(format!("runtime-process-{tag}-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            PidDir(dir)
        }

        /// A shell command that records its own pid in `name`, then becomes `program`.
        fn record(&self, name: &str, program: &str) -> String {
            format!("sh -c 'echo $$ > {}/{name}; exec {program}'", self.0.display())
        }

        /// The pids recorded so far, waiting until `count` files are written.
        fn pids(&self, count: usize) -> Vec<u32> {
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            loop {
                let pids: Vec<u32> = std::fs::read_dir(&self.0)
                    .unwrap()
                    .filter_map(|entry| std::fs::read_to_string(entry.unwrap().path()).ok())
                    .filter_map(|text| text.trim().parse().ok())
                    .collect();
                if pids.len() >= count || std::time::Instant::now() > deadline {
                    assert_eq!(pids.len(), count, "the program did not start all its processes");
                    return pids;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }

    impl Drop for PidDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Whether the process runs (a zombie waiting for its parent to reap it runs no more).
    fn alive(pid: u32) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(stat) => stat.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z')),
            Err(_) => false,
        }
    }

    /// Asserts that none of `pids` runs, allowing the kernel a moment to deliver the signal.
    fn assert_all_gone(pids: &[u32]) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while pids.iter().any(|&pid| alive(pid)) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let survivors: Vec<u32> = pids.iter().copied().filter(|&pid| alive(pid)).collect();
        assert!(survivors.is_empty(), "still running: {survivors:?}");
    }

    #[tokio::test]
    async fn a_timeout_stops_every_process_of_a_pipeline_and_a_backgrounded_child() {
        let dir = PidDir::new("timeout");
        // The pipeline's `cat` and the backgrounded `sleep` both hold the output pipe open; killing
        // only the shell would leave them running and the reader waiting.
        let command = format!(
            "echo $$ > {}/shell; ({} &); {} | {}",
            dir.0.display(),
            dir.record("background", "sleep 100"),
            dir.record("piped", "sleep 100"),
            dir.record("cat", "cat"),
        );
        let started = std::time::Instant::now();
        let credentials = process(&command).timeout(Duration::from_millis(500));
        let error = tokio::time::timeout(Duration::from_secs(20), credentials.run())
            .await
            .expect("the call ended")
            .unwrap_err();
        assert!(error.message().contains("did not finish within"), "{error}");
        assert!(started.elapsed() < Duration::from_secs(20));
        assert_all_gone(&dir.pids(4));
    }

    #[tokio::test]
    async fn a_dropped_call_stops_the_program_before_the_next_caller_starts_one() {
        let dir = PidDir::new("dropped");
        let command = format!(
            "echo $$ > {}/shell; ({} &); {} | cat",
            dir.0.display(),
            dir.record("background", "sleep 100"),
            dir.record("piped", "sleep 100"),
        );
        let credentials = process(&command);
        // The caller gives up long before the helper's own timeout; dropping the future is all it does.
        assert!(tokio::time::timeout(Duration::from_millis(300), credentials.run()).await.is_err());
        let pids = dir.pids(3);
        assert_all_gone(&pids);
    }

    #[tokio::test]
    async fn output_longer_than_the_limit_is_an_error_and_stops_the_program() {
        let dir = PidDir::new("long");
        let command = format!("echo $$ > {}/shell; exec yes", dir.0.display());
        let error = process(&command).run().await.unwrap_err();
        assert!(error.message().contains("longer than"), "{error}");
        assert_all_gone(&dir.pids(1));
    }

    #[test]
    fn debug_does_not_show_the_command() {
        let text = format!("{:?}", process(&format!("helper --secret {SECRET}")));
        assert!(!text.contains(SECRET), "{text}");
        assert!(text.contains("profile [test]"), "{text}");
    }
}
