//! The body of a streaming `blob` payload (`@streaming` bound to `@httpPayload`): [`ByteStream`],
//! sent from bytes or a file, and received as a stream of chunks or collected into memory within
//! size and time limits.
//!
//! A response's stream carries the client's limits (its `max_response_bytes` and the time left of the
//! call): [`ByteStream::collect`] and [`ByteStream::next`] fail once the body passes either, so a
//! streamed response is no more of a risk than any other. A caller that expects more opts in with
//! [`ByteStream::with_max_bytes`] or [`ByteStream::without_time_limit`].

use std::error::Error;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// The chunks a stream yields (re-exported, so code that names them needs no `bytes` dependency).
pub use bytes::Bytes;

/// How much of a file one read takes: large enough that per-chunk overhead vanishes, small enough
/// that a body in flight holds little memory.
const FILE_CHUNK_BYTES: usize = 64 * 1024;

/// How long opening a file named as a body may take (a FIFO nobody writes to blocks its opener).
pub const FILE_OPEN_TIME_LIMIT: Duration = Duration::from_secs(10);

/// A source of body chunks from an HTTP stack, for [`ByteStream::from_body`].
///
/// An [`HttpClient`](super::http::HttpClient) that streams responses wraps its response body in one.
pub trait BodySource: Send + 'static {
    /// The next chunk, `None` at the end of the body, or the failure that ended it.
    fn poll_chunk(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>>;

    /// The body's length, when the source knows it (a `Content-Length`).
    fn length(&self) -> Option<u64> {
        None
    }
}

/// The body of a streaming blob: bytes in memory, a file, or a response body arriving from the
/// network.
///
/// `Debug` shows where the bytes come from and how many there are, never the bytes.
pub struct ByteStream {
    source: Source,
    max_bytes: Option<u64>,
    /// When reading must have finished; armed by the client for response bodies.
    deadline: Option<tokio::time::Instant>,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    read: u64,
}

enum Source {
    /// The whole body, handed out as one chunk (`None` once it has been).
    Bytes(Option<Bytes>, u64),
    File(FileSource),
    Body(Pin<Box<dyn BodySource>>),
}

/// What one read of a file on a blocking thread hands back: the file for the next read (none when
/// reopening it failed) and the chunk.
type FileRead = (Option<std::fs::File>, io::Result<Vec<u8>>);

/// A file read in chunks on tokio's blocking threads, so the executor never waits on the disk.
struct FileSource {
    path: Arc<Path>,
    /// The length when the stream was made: exactly what is sent (it went out as `Content-Length`).
    length: u64,
    /// The open file between reads; `None` before the first read of a clone (it reopens the path).
    file: Option<std::fs::File>,
    remaining: u64,
    pending: Option<tokio::task::JoinHandle<FileRead>>,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("ByteStream");
        match &self.source {
            Source::Bytes(_, length) => out.field("bytes", length),
            Source::File(file) => out.field("file", &file.path).field("length", &file.length),
            Source::Body(body) => out.field("response_body_length", &body.length()),
        };
        out.field("max_bytes", &self.max_bytes).finish_non_exhaustive()
    }
}

impl ByteStream {
    fn new(source: Source) -> Self {
        ByteStream { source, max_bytes: None, deadline: None, timer: None, read: 0 }
    }

    /// A body of these bytes.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        let length = bytes.len() as u64;
        Self::new(Source::Bytes(Some(bytes), length))
    }

    /// A body read from the file at `path`, a regular file (its length is known up front, so it can
    /// be sent as `Content-Length`). The file is opened on a helper thread within
    /// [`FILE_OPEN_TIME_LIMIT`], so a FIFO or a stalled network mount is an error, not a hang.
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self, ByteStreamError> {
        let path: Arc<Path> = Arc::from(path.as_ref());
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let opening = Arc::clone(&path);
        std::thread::Builder::new()
            .name("byte-stream-open".to_owned())
            .spawn(move || {
                let _ = sender.send(open_regular_file(&opening));
            })
            .map_err(|e| ByteStreamError::file(&path, e))?;
        let (file, length) = match tokio::time::timeout(FILE_OPEN_TIME_LIMIT, receiver).await {
            Ok(Ok(opened)) => opened.map_err(|e| ByteStreamError::file(&path, e))?,
            Ok(Err(_)) => return Err(ByteStreamError::file(&path, io::Error::other("the opening thread stopped"))),
            Err(_) => {
                let error = io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("not opened within {FILE_OPEN_TIME_LIMIT:?} (a FIFO or device that does not deliver?)"),
                );
                return Err(ByteStreamError::file(&path, error));
            }
        };
        Ok(Self::new(Source::File(FileSource { path, length, file: Some(file), remaining: length, pending: None })))
    }

    /// A body arriving from an HTTP stack.
    pub fn from_body(body: impl BodySource) -> Self {
        Self::new(Source::Body(Box::pin(body)))
    }

    /// How many bytes the body holds, when that is known: always for bytes and files, for a response
    /// when it came with a `Content-Length`.
    pub fn content_length(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(_, length) => Some(*length),
            Source::File(file) => Some(file.length),
            Source::Body(body) => body.length(),
        }
    }

    /// A fresh copy of a body that can be sent again (bytes, or a file, which the copy reopens), for a
    /// retry; `None` for a response body, which can be read only once.
    pub fn try_clone(&self) -> Option<ByteStream> {
        let source = match &self.source {
            Source::Bytes(Some(bytes), length) => Source::Bytes(Some(bytes.clone()), *length),
            Source::Bytes(None, _) | Source::Body(_) => return None,
            Source::File(file) => Source::File(FileSource {
                path: Arc::clone(&file.path),
                length: file.length,
                file: None,
                remaining: file.length,
                pending: None,
            }),
        };
        Some(ByteStream { source, max_bytes: self.max_bytes, deadline: self.deadline, timer: None, read: 0 })
    }

    /// Whether the body can be read again, for a retry or for a digest taken before sending: bytes
    /// and files can, a stream passed on from elsewhere cannot.
    pub fn is_replayable(&self) -> bool {
        matches!(self.source, Source::Bytes(Some(_), _) | Source::File(_))
    }

    /// The digests the request needs, in one read of the body: its SHA-256 always (the lowercase hex
    /// that signs it), and its MD5 when `md5` is set (for `Content-MD5`). Bytes are hashed as they
    /// are, a file by reading it through once on a blocking thread; `None` for a body that can be read
    /// only once (it is sent unsigned).
    pub(crate) async fn payload_digests(&self, md5: bool) -> Result<Option<PayloadDigests>, ByteStreamError> {
        match &self.source {
            Source::Bytes(Some(bytes), _) => {
                let mut digester = Digester::new(md5);
                digester.update(bytes);
                Ok(Some(digester.finish()))
            }
            Source::Bytes(None, _) | Source::Body(_) => Ok(None),
            Source::File(file) => {
                let (path, length) = (Arc::clone(&file.path), file.length);
                let hashing = Arc::clone(&path);
                let digests = tokio::task::spawn_blocking(move || -> io::Result<PayloadDigests> {
                    let mut reader = reopen(&hashing, length)?.take(length);
                    let mut digester = Digester::new(md5);
                    let mut buffer = vec![0; FILE_CHUNK_BYTES];
                    loop {
                        let read = read_some_from(&mut reader, &mut buffer)?;
                        if read == 0 {
                            break;
                        }
                        digester.update(&buffer[..read]);
                    }
                    Ok(digester.finish())
                })
                .await
                .map_err(|e| ByteStreamError::file(&path, io::Error::other(e)))?;
                digests.map(Some).map_err(|e| ByteStreamError::file(&path, e))
            }
        }
    }

    /// The most bytes reading may take: `Some(limit)` for a larger (or smaller) limit than the
    /// client's, `None` for no limit at all (for a body written to a file, say).
    pub fn with_max_bytes(mut self, limit: Option<u64>) -> Self {
        self.max_bytes = limit;
        self
    }

    /// Lifts the time limit the client put on reading the body (the time left of its call).
    pub fn without_time_limit(mut self) -> Self {
        self.deadline = None;
        self.timer = None;
        self
    }

    /// Sets the limits of a response body: the client's `max_response_bytes` and the instant reading
    /// must be done by.
    #[doc(hidden)]
    pub fn with_response_limits(mut self, max_bytes: u64, deadline: Option<tokio::time::Instant>) -> Self {
        self.max_bytes = Some(max_bytes);
        self.deadline = deadline;
        self.timer = None;
        self
    }

    /// The next chunk of the body, `None` at its end.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        poll_fn(|cx| self.poll_next(cx)).await
    }

    /// Reads the whole body into memory, within its limits.
    pub async fn collect(mut self) -> Result<Vec<u8>, ByteStreamError> {
        let mut out = Vec::new();
        if let Some(length) = self.content_length() {
            self.check_length(length)?;
            out.reserve_exact(usize::try_from(length).unwrap_or(0));
        }
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    /// Writes the whole body to the file at `path` (created, or truncated), within its limits, and
    /// returns how many bytes it wrote. Writes run on tokio's blocking threads.
    pub async fn write_to(mut self, path: impl AsRef<Path>) -> Result<u64, ByteStreamError> {
        let path: PathBuf = path.as_ref().to_path_buf();
        let creating = path.clone();
        let mut file = tokio::task::spawn_blocking(move || std::fs::File::create(&creating))
            .await
            .map_err(|e| ByteStreamError::file(&path, io::Error::other(e)))?
            .map_err(|e| ByteStreamError::file(&path, e))?;
        let mut written = 0;
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            written += chunk.len() as u64;
            let (returned, result) = tokio::task::spawn_blocking(move || {
                let result = file.write_all(&chunk);
                (file, result)
            })
            .await
            .map_err(|e| ByteStreamError::file(&path, io::Error::other(e)))?;
            result.map_err(|e| ByteStreamError::file(&path, e))?;
            file = returned;
        }
        tokio::task::spawn_blocking(move || file.sync_all())
            .await
            .map_err(|e| ByteStreamError::file(&path, io::Error::other(e)))?
            .map_err(|e| ByteStreamError::file(&path, e))?;
        Ok(written)
    }

    fn check_length(&self, length: u64) -> Result<(), ByteStreamError> {
        match self.max_bytes {
            Some(limit) if length > limit => Err(ByteStreamError::too_large(limit)),
            _ => Ok(()),
        }
    }

    /// [`ByteStream::next`] for code that polls (an HTTP stack sending the body).
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        if let Some(deadline) = self.deadline {
            // The clock is read too: the timer only fires at its next tick, after the deadline.
            let timer = self.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
            if timer.as_mut().poll(cx).is_ready() || tokio::time::Instant::now() >= deadline {
                return Poll::Ready(Some(Err(ByteStreamError::new(ByteStreamErrorKind::TimedOut, None))));
            }
        }
        if self.read == 0 {
            // A declared length over the limit fails before anything is read.
            if let Some(length) = self.content_length() {
                if let Err(e) = self.check_length(length) {
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
        let polled = match &mut self.source {
            Source::Bytes(bytes, _) => Poll::Ready(bytes.take().filter(|b| !b.is_empty()).map(Ok)),
            Source::File(file) => file.poll_chunk(cx),
            Source::Body(body) => body.as_mut().poll_chunk(cx),
        };
        match polled {
            Poll::Ready(Some(Ok(chunk))) => {
                self.read += chunk.len() as u64;
                if let Some(limit) = self.max_bytes.filter(|limit| self.read > *limit) {
                    return Poll::Ready(Some(Err(ByteStreamError::too_large(limit))));
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            other => other,
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from_bytes(bytes)
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        Self::from_bytes(bytes)
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        Self::from_bytes(text)
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        Self::from_bytes(text)
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        Self::from_bytes(bytes)
    }
}

impl Default for ByteStream {
    /// An empty body.
    fn default() -> Self {
        Self::from_bytes(Bytes::new())
    }
}

/// Opens `path` for reading and returns it with its length; only regular files, whose length is
/// known and whose reads end.
fn open_regular_file(path: &Path) -> io::Result<(std::fs::File, u64)> {
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "it is not a regular file"));
    }
    Ok((file, metadata.len()))
}

impl FileSource {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        loop {
            if let Some(pending) = &mut self.pending {
                let outcome = std::task::ready!(Pin::new(pending).poll(cx));
                self.pending = None;
                let (file, result) = match outcome {
                    Ok(done) => done,
                    Err(e) => return Poll::Ready(Some(Err(ByteStreamError::file(&self.path, io::Error::other(e))))),
                };
                let chunk = match result {
                    Ok(chunk) => chunk,
                    Err(e) => return Poll::Ready(Some(Err(ByteStreamError::file(&self.path, e)))),
                };
                if chunk.is_empty() {
                    // The file shrank after its length was taken: the request would be short.
                    let error = io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!(
                            "the file changed while it was sent: {} of {} bytes missing",
                            self.remaining, self.length
                        ),
                    );
                    return Poll::Ready(Some(Err(ByteStreamError::file(&self.path, error))));
                }
                self.remaining -= chunk.len() as u64;
                self.file = file;
                return Poll::Ready(Some(Ok(Bytes::from(chunk))));
            }
            if self.remaining == 0 {
                return Poll::Ready(None);
            }
            let want = usize::try_from(self.remaining).map_or(FILE_CHUNK_BYTES, |r| r.min(FILE_CHUNK_BYTES));
            let file = self.file.take();
            let path = Arc::clone(&self.path);
            let length = self.length;
            self.pending = Some(tokio::task::spawn_blocking(move || {
                let mut file = match file {
                    Some(file) => file,
                    None => match reopen(&path, length) {
                        Ok(file) => file,
                        Err(e) => return (None, Err(e)),
                    },
                };
                let mut chunk = vec![0; want];
                let result = read_some_from(&mut file, &mut chunk).map(|n| {
                    chunk.truncate(n);
                    chunk
                });
                (Some(file), result)
            }));
        }
    }
}

/// What [`ByteStream::payload_digests`] found.
pub(crate) struct PayloadDigests {
    /// The lowercase hex SHA-256, which signs the request.
    pub(crate) sha256_hex: String,
    /// The MD5, when it was asked for.
    #[cfg_attr(not(feature = "content-md5"), allow(dead_code))]
    pub(crate) md5: Option<[u8; 16]>,
}

/// The hashes of one pass over a body.
struct Digester {
    sha256: crate::crypto::Sha256,
    #[cfg(feature = "content-md5")]
    md5: Option<md5::Md5>,
}

impl Digester {
    fn new(md5: bool) -> Self {
        #[cfg(not(feature = "content-md5"))]
        let _ = md5;
        Digester {
            sha256: crate::crypto::Sha256::new(),
            #[cfg(feature = "content-md5")]
            md5: md5.then(<md5::Md5 as md5::Digest>::new),
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        self.sha256.update(bytes);
        #[cfg(feature = "content-md5")]
        if let Some(md5) = &mut self.md5 {
            md5::Digest::update(md5, bytes);
        }
    }

    fn finish(self) -> PayloadDigests {
        let sha256_hex = super::sigv4::hex_encode(&self.sha256.finish());
        #[cfg(feature = "content-md5")]
        let md5 = self.md5.map(|md5| md5::Digest::finalize(md5).into());
        #[cfg(not(feature = "content-md5"))]
        let md5 = None;
        PayloadDigests { sha256_hex, md5 }
    }
}

/// Reopens the file of a cloned stream, refusing one whose length changed since the original was made.
fn reopen(path: &Path, length: u64) -> io::Result<std::fs::File> {
    let (file, now) = open_regular_file(path)?;
    if now != length {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("the file changed between attempts: {length} bytes before, {now} now"),
        ));
    }
    Ok(file)
}

/// One `read`, retried when interrupted.
fn read_some_from(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(buffer) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// What kind of failure a [`ByteStreamError`] is.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteStreamErrorKind {
    /// The body is longer than the limit; see [`ByteStream::with_max_bytes`].
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// Reading did not finish within the client's time limit; see [`ByteStream::without_time_limit`].
    TimedOut,
    /// Reading or writing a file failed.
    File,
    /// The connection failed while the body was arriving.
    Transport,
}

/// A failure to read or write a [`ByteStream`].
#[derive(Debug)]
pub struct ByteStreamError {
    kind: ByteStreamErrorKind,
    path: Option<PathBuf>,
    source: Option<Box<dyn Error + Send + Sync>>,
}

impl ByteStreamError {
    /// An error of `kind`, caused by `source` when there is one.
    pub fn new(kind: ByteStreamErrorKind, source: Option<Box<dyn Error + Send + Sync>>) -> Self {
        ByteStreamError { kind, path: None, source }
    }

    fn too_large(limit: u64) -> Self {
        Self::new(ByteStreamErrorKind::TooLarge { limit }, None)
    }

    fn file(path: &Path, error: io::Error) -> Self {
        ByteStreamError {
            kind: ByteStreamErrorKind::File,
            path: Some(path.to_path_buf()),
            source: Some(Box::new(error)),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ByteStreamErrorKind {
        self.kind
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ByteStreamErrorKind::TooLarge { limit } => {
                write!(f, "the body is larger than the limit of {limit} bytes (ByteStream::with_max_bytes raises it)")
            }
            ByteStreamErrorKind::TimedOut => f.write_str(
                "the body was not read within the call's time limit (ByteStream::without_time_limit lifts it)",
            ),
            ByteStreamErrorKind::File => {
                let path = self.path.as_deref().unwrap_or(Path::new(""));
                write!(f, "file `{}`", path.display())?;
                // The cause is part of the message: "file `x`" alone says nothing.
                match &self.source {
                    Some(source) => write!(f, ": {source}"),
                    None => Ok(()),
                }
            }
            ByteStreamErrorKind::Transport => f.write_str("the connection failed while the body was arriving"),
        }
    }
}

impl Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self.kind {
            // Already in the message.
            ByteStreamErrorKind::File => None,
            _ => self.source.as_deref().map(|e| e as &(dyn Error + 'static)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("runtime-byte-stream-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Deterministic bytes that show where a chunk boundary went wrong.
    fn pattern(length: usize) -> Vec<u8> {
        (0..length).map(|i| (i % 251) as u8).collect()
    }

    /// A response body from scripted chunks, counting how often it is polled.
    struct Scripted {
        chunks: Vec<Result<Bytes, ByteStreamError>>,
        length: Option<u64>,
        polls: Arc<AtomicUsize>,
    }

    impl BodySource for Scripted {
        fn poll_chunk(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
            let this = self.get_mut();
            this.polls.fetch_add(1, Ordering::SeqCst);
            if this.chunks.is_empty() {
                Poll::Ready(None)
            } else {
                Poll::Ready(Some(this.chunks.remove(0)))
            }
        }

        fn length(&self) -> Option<u64> {
            self.length
        }
    }

    fn scripted(chunks: &[&'static [u8]], length: Option<u64>) -> (ByteStream, Arc<AtomicUsize>) {
        let polls = Arc::new(AtomicUsize::new(0));
        let chunks = chunks.iter().map(|c| Ok(Bytes::from_static(c))).collect();
        (ByteStream::from_body(Scripted { chunks, length, polls: Arc::clone(&polls) }), polls)
    }

    /// Never yields a chunk.
    struct Silent;

    impl BodySource for Silent {
        fn poll_chunk(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
            Poll::Pending
        }
    }

    #[tokio::test]
    async fn bytes_are_one_chunk_and_collect_whole() {
        let mut stream = ByteStream::from(b"hello".to_vec());
        assert_eq!(stream.content_length(), Some(5));
        assert_eq!(stream.next().await.unwrap().unwrap(), &b"hello"[..]);
        assert!(stream.next().await.is_none());
        assert!(stream.next().await.is_none());
        assert_eq!(ByteStream::from("text".to_string()).collect().await.unwrap(), b"text");
        // An empty body has no chunk at all.
        assert!(ByteStream::default().next().await.is_none());
        assert_eq!(ByteStream::from(&b""[..]).collect().await.unwrap(), b"");
    }

    #[tokio::test]
    async fn a_response_body_is_held_to_the_limit_unless_the_caller_lifts_it() {
        let body = || scripted(&[b"01234", b"56789"], None).0;
        let error = body().with_response_limits(7, None).collect().await.unwrap_err();
        assert_eq!(error.kind(), ByteStreamErrorKind::TooLarge { limit: 7 });
        assert!(error.to_string().contains("limit of 7 bytes"), "{error}");
        // Exactly the limit is fine.
        assert_eq!(body().with_response_limits(10, None).collect().await.unwrap(), b"0123456789");
        // The caller opts into more, or into no limit.
        let larger = body().with_response_limits(7, None).with_max_bytes(Some(64));
        assert_eq!(larger.collect().await.unwrap(), b"0123456789");
        let unbounded = body().with_response_limits(7, None).with_max_bytes(None);
        assert_eq!(unbounded.collect().await.unwrap(), b"0123456789");
        // Read as a stream, the chunk that passes the limit is the error.
        let mut stream = body().with_response_limits(7, None);
        assert_eq!(stream.next().await.unwrap().unwrap(), &b"01234"[..]);
        assert!(stream.next().await.unwrap().is_err());
    }

    #[tokio::test]
    async fn a_declared_length_over_the_limit_fails_before_reading() {
        let (stream, polls) = scripted(&[b"abc"], Some(1_000_000));
        assert_eq!(stream.content_length(), Some(1_000_000));
        let error = stream.with_response_limits(1000, None).collect().await.unwrap_err();
        assert_eq!(error.kind(), ByteStreamErrorKind::TooLarge { limit: 1000 });
        assert_eq!(polls.load(Ordering::SeqCst), 0);
        let (mut stream, polls) = scripted(&[b"abc"], Some(1_000_000));
        stream = stream.with_response_limits(1000, None);
        assert!(stream.next().await.unwrap().is_err());
        assert_eq!(polls.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_body_that_stops_arriving_times_out_at_the_deadline() {
        let deadline = tokio::time::Instant::now() + Duration::from_millis(50);
        let stream = ByteStream::from_body(Silent).with_response_limits(100, Some(deadline));
        let error = stream.collect().await.unwrap_err();
        assert_eq!(error.kind(), ByteStreamErrorKind::TimedOut);
        assert!(tokio::time::Instant::now() >= deadline);
        assert!(error.to_string().contains("without_time_limit"), "{error}");
        // A deadline already passed fails even a body that is ready.
        let passed = tokio::time::Instant::now();
        let error =
            ByteStream::from(b"x".to_vec()).with_response_limits(100, Some(passed)).collect().await.unwrap_err();
        assert_eq!(error.kind(), ByteStreamErrorKind::TimedOut);
        let lifted = ByteStream::from(b"x".to_vec()).with_response_limits(100, Some(passed)).without_time_limit();
        assert_eq!(lifted.collect().await.unwrap(), b"x");
    }

    #[tokio::test]
    async fn a_file_is_read_in_bounded_chunks_and_again_by_a_clone() {
        let dir = scratch("file");
        let path = dir.join("body.bin");
        let bytes = pattern(FILE_CHUNK_BYTES * 2 + 17);
        std::fs::write(&path, &bytes).unwrap();
        let mut stream = ByteStream::from_path(&path).await.unwrap();
        assert_eq!(stream.content_length(), Some(bytes.len() as u64));
        let again = stream.try_clone().expect("a file can be sent again");
        let mut read = Vec::new();
        let mut chunks = 0;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.unwrap();
            assert!(chunk.len() <= FILE_CHUNK_BYTES);
            read.extend_from_slice(&chunk);
            chunks += 1;
        }
        assert_eq!((read == bytes, chunks), (true, 3));
        assert_eq!(again.collect().await.unwrap(), bytes);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_file_that_changes_while_sent_is_an_error_not_a_short_body() {
        let dir = scratch("shrink");
        let path = dir.join("body.bin");
        std::fs::write(&path, pattern(100)).unwrap();
        let stream = ByteStream::from_path(&path).await.unwrap();
        let clone = stream.try_clone().unwrap();
        std::fs::write(&path, pattern(10)).unwrap();
        let error = stream.collect().await.unwrap_err();
        assert_eq!(error.kind(), ByteStreamErrorKind::File);
        assert!(error.to_string().contains("90 of 100 bytes missing"), "{error}");
        assert!(error.to_string().contains("body.bin"), "{error}");
        // The clone reopens the path and sees the new length.
        let error = clone.collect().await.unwrap_err();
        assert!(error.to_string().contains("100 bytes before, 10 now"), "{error}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn only_regular_files_can_be_a_body() {
        let dir = scratch("kinds");
        let error = ByteStream::from_path(&dir).await.unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let missing = dir.join("missing");
        let error = ByteStream::from_path(&missing).await.unwrap_err();
        assert_eq!(error.kind(), ByteStreamErrorKind::File);
        assert!(error.to_string().contains("missing"), "{error}");
        #[cfg(unix)]
        {
            let error = ByteStream::from_path("/dev/zero").await.unwrap_err();
            assert!(error.to_string().contains("not a regular file"), "{error}");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_body_is_written_to_a_file_chunk_by_chunk() {
        let dir = scratch("write");
        let (stream, _) = scripted(&[b"first ", b"second ", b"third"], None);
        let written = stream.write_to(dir.join("out.txt")).await.unwrap();
        assert_eq!(written, 18);
        assert_eq!(std::fs::read(dir.join("out.txt")).unwrap(), b"first second third");
        // The limits apply to writing too.
        let (stream, _) = scripted(&[b"first ", b"second ", b"third"], None);
        let error = stream.with_response_limits(8, None).write_to(dir.join("small.txt")).await.unwrap_err();
        assert_eq!(error.kind(), ByteStreamErrorKind::TooLarge { limit: 8 });
        let error = ByteStream::from(b"x".to_vec()).write_to(dir.join("no/such/dir/out")).await.unwrap_err();
        assert!(error.to_string().contains("no/such/dir/out"), "{error}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_response_body_cannot_be_cloned_and_debug_hides_the_bytes() {
        let (stream, _) = scripted(&[b"secret"], Some(6));
        assert!(stream.try_clone().is_none());
        assert!(!format!("{stream:?}").contains("secret"));
        let bytes = ByteStream::from(b"secret-token".to_vec());
        assert_eq!(format!("{bytes:?}"), "ByteStream { bytes: 12, max_bytes: None, .. }");
        // A body already read is not sent again.
        let mut once = ByteStream::from(b"x".to_vec());
        once.next().await.unwrap().unwrap();
        assert!(once.try_clone().is_none());
    }
}
