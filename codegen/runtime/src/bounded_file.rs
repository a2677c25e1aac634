//! Reading files named from outside (profile files, token files, `file://` arguments) with a limit
//! on both size and time, so that `/dev/zero`, a FIFO nobody writes to, or a huge file is an error
//! rather than a hang or exhausted memory.
//!
//! Every read opens and reads the file on a short-lived thread of its own and waits for it at most
//! the time limit: opening a FIFO blocks until someone writes to it, and a thread is the only
//! portable way to stop waiting for that. A read that times out leaves its thread blocked until
//! the file yields (it holds nothing but the file). [`read_text_async`] waits without blocking the
//! async executor; [`read_text`] is for synchronous code.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The most a profile file (`~/.aws/config`, `~/.aws/credentials`) may hold.
pub const PROFILE_FILE_MAX_BYTES: u64 = 4 * 1024 * 1024;
/// The most a token file (web identity, container authorization) may hold.
pub const TOKEN_FILE_MAX_BYTES: u64 = 64 * 1024;
/// How long reading a profile or token file may take.
pub const CREDENTIAL_FILE_TIME_LIMIT: Duration = Duration::from_secs(5);

/// How much to read, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes the file may hold.
    pub max_bytes: u64,
    /// The longest the read may take, opening included.
    pub time: Duration,
}

impl Limits {
    /// The limits for profile files.
    pub const PROFILE_FILE: Limits = Limits { max_bytes: PROFILE_FILE_MAX_BYTES, time: CREDENTIAL_FILE_TIME_LIMIT };
    /// The limits for token files.
    pub const TOKEN_FILE: Limits = Limits { max_bytes: TOKEN_FILE_MAX_BYTES, time: CREDENTIAL_FILE_TIME_LIMIT };
}

/// Reads the UTF-8 text of `path`, blocking the calling thread for at most `limits.time`.
///
/// Errors keep the [`io::ErrorKind`] of the failure (`NotFound` for a missing file); a file over
/// the size limit is `InvalidData`, a read that takes too long `TimedOut`.
pub fn read_text(path: &Path, limits: Limits) -> io::Result<String> {
    let (sender, receiver) = std::sync::mpsc::channel();
    start_reader(path.to_path_buf(), limits, move |result| {
        let _ = sender.send(result);
    })?;
    match receiver.recv_timeout(limits.time) {
        Ok(result) => result,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(timed_out(limits)),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(io::Error::other("the reading thread stopped")),
    }
}

/// [`read_text`] for async code: the executor thread is never blocked. Needs a tokio runtime with
/// a timer.
pub async fn read_text_async(path: &Path, limits: Limits) -> io::Result<String> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    start_reader(path.to_path_buf(), limits, move |result| {
        let _ = sender.send(result);
    })?;
    match tokio::time::timeout(limits.time, receiver).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(io::Error::other("the reading thread stopped")),
        Err(_) => Err(timed_out(limits)),
    }
}

fn timed_out(limits: Limits) -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        format!("not read within {:?} (a FIFO or device that does not deliver?)", limits.time),
    )
}

fn start_reader(
    path: PathBuf,
    limits: Limits,
    deliver: impl FnOnce(io::Result<String>) + Send + 'static,
) -> io::Result<()> {
    std::thread::Builder::new().name("bounded-file-read".to_owned()).spawn(move || deliver(read_now(&path, limits)))?;
    Ok(())
}

fn read_now(path: &Path, limits: Limits) -> io::Result<String> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "it is a directory"));
    }
    let mut bytes = Vec::new();
    file.take(limits.max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limits.max_bytes {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("it is larger than the limit of {} bytes", limits.max_bytes),
        ));
    }
    String::from_utf8(bytes).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limits = Limits { max_bytes: 16, time: Duration::from_millis(300) };

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("runtime-bounded-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn reads_a_small_file_and_refuses_a_large_one() {
        let dir = scratch("size");
        std::fs::write(dir.join("small"), "just right").unwrap();
        std::fs::write(dir.join("large"), "x".repeat(17)).unwrap();
        assert_eq!(read_text(&dir.join("small"), SMALL).unwrap(), "just right");
        let error = read_text(&dir.join("large"), SMALL).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(error.to_string().contains("limit of 16 bytes"), "{error}");
        assert_eq!(read_text(&dir.join("missing"), SMALL).unwrap_err().kind(), io::ErrorKind::NotFound);
        assert_eq!(read_text(&dir, SMALL).unwrap_err().kind(), io::ErrorKind::InvalidInput);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_cut_off_at_the_limit() {
        let error = read_text(Path::new("/dev/zero"), SMALL).unwrap_err();
        assert!(error.to_string().contains("limit of 16 bytes"), "{error}");
        assert_eq!(read_text(Path::new("/dev/null"), SMALL).unwrap(), "");
    }

    #[cfg(unix)]
    #[tokio::test(flavor = "current_thread")]
    async fn a_fifo_nobody_writes_to_times_out_without_blocking_the_executor() {
        let dir = scratch("fifo");
        let fifo = dir.join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        // A timer on the same single-threaded executor still fires while the read waits.
        let ticker = tokio::spawn(tokio::time::sleep(Duration::from_millis(50)));
        let error = read_text_async(&fifo, SMALL).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut, "{error}");
        assert!(ticker.is_finished());
        assert_eq!(read_text(&fifo, SMALL).unwrap_err().kind(), io::ErrorKind::TimedOut);
        // Both reading threads left behind wait to open it; one writer lets them both finish.
        drop(std::fs::OpenOptions::new().write(true).open(&fifo));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
