//! Caching credentials between calls and refreshing them before they expire: [`CachedCredentials`].
//!
//! - Credentials with an expiry are kept until a few minutes before it (four to six, chosen at
//!   random each time so that a fleet of workers does not refresh in step; at most half the
//!   credentials' lifetime), then refreshed in the background: calls keep using the cached
//!   credentials meanwhile, so a call never waits on a refresh it does not need.
//! - In the last minute before expiry (at most a quarter of the lifetime) the cached credentials are
//!   no longer handed out and a call waits for fresh ones; if that refresh fails while the old ones
//!   are still valid, the call gets the old ones rather than an error.
//! - Credentials without an expiry (environment, static profile keys) are read again after 15
//!   minutes, so rotated keys in a file are picked up without a restart.
//! - Concurrent calls share one refresh: one refresh asks the source, and every call that needs
//!   its answer waits for it, success or failure.
//! - After a refresh fails, none starts for [`FAILED_REFRESH_BACKOFF`]: calls meanwhile get the
//!   cached credentials while they are valid, or else that failure, at once, rather than each
//!   waiting out another attempt at a source that is down.
//! - No call waits longer than [`LOAD_WAIT_LIMIT`] (set with [`CachedCredentials::wait_limit`]); a
//!   refresh that takes longer goes on, and a later call gets its answer.
//!
//! # Where refreshes run
//!
//! Every refresh runs on one helper thread with a small tokio runtime of its own, shared by all
//! caches in the process, never on the runtime of the call that started it. That runtime may not be
//! driven once the call returns (a current-thread runtime per thread, a synchronous wrapper around
//! `block_on`), and a refresh stuck there would leave every other caller waiting. Waiting for the
//! answer works from any runtime. The refresh is spawned with a guard that records it as ended
//! however its future goes away, even dropped before it first runs, so a lost refresh never blocks
//! the next one.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use super::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};

/// How long credentials without an expiry are reused before the source is asked again.
pub const UNEXPIRING_REUSE: Duration = Duration::from_secs(15 * 60);
/// The earliest a background refresh starts, before expiry (plus up to [`REFRESH_JITTER`]).
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(4 * 60);
/// The random spread added to [`REFRESH_BEFORE_EXPIRY`].
pub const REFRESH_JITTER: Duration = Duration::from_secs(2 * 60);
/// From this long before expiry on, calls wait for fresh credentials.
pub const STALE_BEFORE_EXPIRY: Duration = Duration::from_secs(60);
/// After a failed refresh, how long before the next one is tried.
pub const FAILED_REFRESH_BACKOFF: Duration = Duration::from_secs(10);
/// The longest a call waits for a refresh: more than the slowest built-in source may take (a
/// `credential_process` gets 60 seconds).
pub const LOAD_WAIT_LIMIT: Duration = Duration::from_secs(75);

/// A clock, replaceable for tests.
type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Wraps a provider with a cache; see the [module documentation](self). Cheap to clone: clones
/// share the cache.
#[derive(Clone)]
pub struct CachedCredentials {
    shared: Arc<Shared>,
}

struct Shared {
    provider: Arc<dyn ProvideCredentials>,
    state: Mutex<State>,
    /// Announces the generation of each refresh that ends to the calls waiting for it.
    ended: tokio::sync::watch::Sender<u64>,
    clock: Option<Clock>,
    wait_limit: Duration,
}

#[derive(Default)]
struct State {
    current: Option<Cached>,
    /// Counts ended refreshes, so a waiter can tell that the one it waited for ended.
    generation: u64,
    /// The error of the refresh that ended as `generation`, if it failed.
    last_error: Option<(u64, CredentialsError)>,
    refreshing: bool,
    /// After a failed refresh: no new one starts before this.
    retry_not_before: Option<SystemTime>,
}

#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    /// When a background refresh should start.
    refresh_at: SystemTime,
    /// When calls stop using these and wait for fresh ones.
    stale_at: SystemTime,
    /// When these stop working at all.
    expires_at: SystemTime,
}

impl fmt::Debug for CachedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached_until = self.lock_state().current.as_ref().map(|c| c.stale_at);
        f.debug_struct("CachedCredentials")
            .field("provider", &self.shared.provider)
            .field("cached_until", &cached_until)
            .finish()
    }
}

impl CachedCredentials {
    /// Caches what `provider` gives.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self::from_arc(Arc::new(provider))
    }

    /// Caches what a shared `provider` gives.
    pub fn from_arc(provider: Arc<dyn ProvideCredentials>) -> Self {
        Self::build(provider, None, LOAD_WAIT_LIMIT)
    }

    /// Reads the time from `now` instead of the system clock (for tests of expiry and refresh).
    pub fn time_source(self, now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        Self::build(Arc::clone(&self.shared.provider), Some(Arc::new(now)), self.shared.wait_limit)
    }

    /// Waits at most `limit` for a refresh, instead of [`LOAD_WAIT_LIMIT`].
    pub fn wait_limit(self, limit: Duration) -> Self {
        Self::build(Arc::clone(&self.shared.provider), self.shared.clock.clone(), limit)
    }

    fn build(provider: Arc<dyn ProvideCredentials>, clock: Option<Clock>, wait_limit: Duration) -> Self {
        CachedCredentials {
            shared: Arc::new(Shared {
                provider,
                state: Mutex::new(State::default()),
                ended: tokio::sync::watch::Sender::new(0),
                clock,
                wait_limit,
            }),
        }
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared.lock_state()
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let now = self.shared.now();
        let (waited_for, mut ended) = {
            let mut state = self.lock_state();
            if let Some(cached) = state.current.as_ref().filter(|c| now < c.stale_at) {
                let credentials = cached.credentials.clone();
                let due = now >= cached.refresh_at && !state.refreshing && !state.backing_off(now);
                let job = due.then(|| Shared::start_refresh(&self.shared, &mut state));
                drop(state);
                if let Some(job) = job {
                    job.spawn();
                }
                return Ok(credentials);
            }
            if !state.refreshing && state.backing_off(now) {
                return state.fallback(now);
            }
            let job = (!state.refreshing).then(|| Shared::start_refresh(&self.shared, &mut state));
            // Subscribed under the lock, so the refresh cannot end unseen in between.
            let waiting = (state.generation, self.shared.ended.subscribe());
            drop(state);
            if let Some(job) = job {
                job.spawn();
            }
            waiting
        };
        let ended = tokio::time::timeout(self.shared.wait_limit, ended.wait_for(|g| *g != waited_for)).await;
        let now = self.shared.now();
        let state = self.lock_state();
        match ended {
            Ok(_) => state.fallback(now),
            Err(_) => match state.current.as_ref().filter(|c| now < c.expires_at) {
                Some(cached) => Ok(cached.credentials.clone()),
                None => Err(CredentialsError::provider_error(format!(
                    "credentials: the source did not answer within {:?}",
                    self.shared.wait_limit
                ))),
            },
        }
    }
}

impl State {
    fn backing_off(&self, now: SystemTime) -> bool {
        self.retry_not_before.is_some_and(|t| now < t)
    }

    /// The answer after the latest refresh: its credentials, or if it failed, cached ones that
    /// still work, or else its error.
    fn fallback(&self, now: SystemTime) -> Result<Credentials, CredentialsError> {
        let failed = self.last_error.as_ref().filter(|(generation, _)| *generation == self.generation);
        match (failed, &self.current) {
            (None, Some(cached)) => Ok(cached.credentials.clone()),
            // Credentials that are stale but not yet expired still sign requests that work.
            (Some(_), Some(cached)) if now < cached.expires_at => Ok(cached.credentials.clone()),
            (Some((_, error)), _) => Err(error.clone()),
            (None, None) => Err(CredentialsError::provider_error("credentials: the refresh ended without an answer")),
        }
    }
}

/// A refresh that has been started but not yet spawned: spawning happens after the state lock is
/// released, since a runtime that is shutting down drops the task, and so its guard, at once.
struct RefreshJob(std::pin::Pin<Box<dyn Future<Output = ()> + Send>>);

impl RefreshJob {
    fn spawn(self) {
        match refresh_runtime() {
            Some(runtime) => {
                runtime.spawn(self.0);
            }
            // No helper thread could be started: the caller's runtime is the only one left.
            None => match tokio::runtime::Handle::try_current() {
                Ok(runtime) => {
                    runtime.spawn(self.0);
                }
                // Dropping the job ends the refresh as failed, so waiters hear of it.
                Err(_) => drop(self),
            },
        }
    }
}

/// The runtime every refresh runs on: a current-thread runtime driven for the life of the process
/// by a helper thread, or `None` if that could not be started.
fn refresh_runtime() -> Option<&'static tokio::runtime::Handle> {
    static RUNTIME: OnceLock<Option<tokio::runtime::Handle>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            let (sender, receiver) = std::sync::mpsc::channel();
            std::thread::Builder::new()
                .name("credentials-refresh".to_owned())
                .spawn(move || match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    Ok(runtime) => {
                        let _ = sender.send(Some(runtime.handle().clone()));
                        runtime.block_on(std::future::pending::<()>());
                    }
                    Err(_) => {
                        let _ = sender.send(None);
                    }
                })
                .ok()?;
            receiver.recv().ok().flatten()
        })
        .as_ref()
}

/// Ends a refresh however its future goes: with the source's answer, or, if the future is dropped
/// first (even before it first ran), as a failure that clears the way for the next refresh.
struct RefreshGuard {
    shared: Arc<Shared>,
    ended: bool,
}

impl Drop for RefreshGuard {
    fn drop(&mut self) {
        if !self.ended {
            // Not the source's failure, so no backoff: the next call may start another at once.
            self.shared
                .end_refresh(Err(CredentialsError::provider_error("credentials: the refresh was stopped")), false);
        }
    }
}

impl Shared {
    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves a state that is still consistent.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn now(&self) -> SystemTime {
        self.clock.as_ref().map_or_else(SystemTime::now, |now| now())
    }

    /// Marks a refresh as running and returns it, ready to spawn.
    fn start_refresh(shared: &Arc<Shared>, state: &mut State) -> RefreshJob {
        state.refreshing = true;
        let mut guard = RefreshGuard { shared: Arc::clone(shared), ended: false };
        RefreshJob(Box::pin(async move {
            let provider = Arc::clone(&guard.shared.provider);
            let result = provider.provide_credentials().await;
            guard.ended = true;
            guard.shared.end_refresh(result, true);
        }))
    }

    fn end_refresh(&self, result: Result<Credentials, CredentialsError>, back_off_on_failure: bool) {
        let now = self.now();
        let mut state = self.lock_state();
        state.refreshing = false;
        state.generation += 1;
        match result {
            Ok(credentials) => {
                state.current = Some(Cached::new(credentials, now));
                state.last_error = None;
                state.retry_not_before = None;
            }
            Err(error) => {
                state.last_error = Some((state.generation, error));
                if back_off_on_failure {
                    state.retry_not_before = Some(now + FAILED_REFRESH_BACKOFF);
                }
            }
        }
        let generation = state.generation;
        drop(state);
        self.ended.send_replace(generation);
    }
}

impl Cached {
    fn new(credentials: Credentials, now: SystemTime) -> Self {
        let expires_at = credentials.expiry().unwrap_or(now + UNEXPIRING_REUSE);
        let lifetime = expires_at.duration_since(now).unwrap_or_default();
        let jitter = Duration::from_millis(fastrand::u64(0..=REFRESH_JITTER.as_millis() as u64));
        let refresh_ahead = (REFRESH_BEFORE_EXPIRY + jitter).min(lifetime / 2);
        let stale_ahead = STALE_BEFORE_EXPIRY.min(lifetime / 4);
        Cached { credentials, refresh_at: expires_at - refresh_ahead, stale_at: expires_at - stale_ahead, expires_at }
    }
}

impl ProvideCredentials for CachedCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

    /// A source that counts its calls and answers from a script (the last answer repeats), each after `delay`.
    #[derive(Debug)]
    struct Scripted {
        answers: Vec<Result<Credentials, CredentialsError>>,
        calls: AtomicUsize,
        delay: Duration,
    }

    impl ProvideCredentials for Scripted {
        fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
            Box::pin(async move {
                let call = self.calls.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(self.delay).await;
                self.answers[call.min(self.answers.len() - 1)].clone()
            })
        }
    }

    const START: u64 = 1_900_000_000;

    /// A clock that tests move by hand.
    fn clock() -> (Arc<AtomicU64>, impl Fn() -> SystemTime + Send + Sync + 'static) {
        let seconds = Arc::new(AtomicU64::new(START));
        let read = Arc::clone(&seconds);
        (seconds, move || SystemTime::UNIX_EPOCH + Duration::from_secs(read.load(Ordering::SeqCst)))
    }

    fn expiring(key: &str, at: u64) -> Credentials {
        Credentials::new(key, "secret", None).with_expiry(SystemTime::UNIX_EPOCH + Duration::from_secs(at))
    }

    fn cached_over(
        answers: Vec<Result<Credentials, CredentialsError>>,
        delay: Duration,
    ) -> (Arc<Scripted>, CachedCredentials) {
        let source = Arc::new(Scripted { answers, calls: AtomicUsize::new(0), delay });
        (Arc::clone(&source), CachedCredentials::from_arc(source))
    }

    async fn key(cache: &CachedCredentials) -> Result<String, CredentialsError> {
        cache.provide_credentials().await.map(|c| c.access_key_id().to_owned())
    }

    /// Waits until no refresh is running (refreshes run on another thread).
    async fn settle(cache: &CachedCredentials) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while cache.lock_state().refreshing && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(!cache.lock_state().refreshing, "the refresh did not end");
    }

    #[tokio::test]
    async fn credentials_are_reused_until_the_refresh_window() {
        let (time, now) = clock();
        let (source, cache) = cached_over(
            vec![Ok(expiring("first", START + 3600)), Ok(expiring("second", START + 7200))],
            Duration::ZERO,
        );
        let cache = cache.time_source(now);
        assert_eq!(key(&cache).await.unwrap(), "first");
        time.store(START + 3600 - 7 * 60, Ordering::SeqCst);
        assert_eq!(key(&cache).await.unwrap(), "first");
        settle(&cache).await;
        assert_eq!(source.calls.load(Ordering::SeqCst), 1, "no refresh before the window");
    }

    #[tokio::test]
    async fn in_the_window_a_call_gets_the_cached_credentials_and_a_background_refresh_replaces_them() {
        let (time, now) = clock();
        let (source, cache) = cached_over(
            vec![Ok(expiring("first", START + 3600)), Ok(expiring("second", START + 7200))],
            Duration::from_millis(50),
        );
        let cache = cache.time_source(now);
        assert_eq!(key(&cache).await.unwrap(), "first");
        time.store(START + 3600 - 3 * 60, Ordering::SeqCst);
        // The source takes 50 ms; a call that waited for it would not return at once.
        let quick = tokio::time::timeout(Duration::from_millis(20), key(&cache)).await;
        assert_eq!(quick.expect("the call did not wait for the refresh").unwrap(), "first");
        // Calls keep getting the cached ones until the background refresh lands.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while key(&cache).await.unwrap() == "first" && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(key(&cache).await.unwrap(), "second");
        assert_eq!(source.calls.load(Ordering::SeqCst), 2, "one refresh, however many calls waited for it");
    }

    #[tokio::test]
    async fn a_failed_background_refresh_keeps_the_valid_credentials_and_backs_off() {
        let (time, now) = clock();
        let (source, cache) = cached_over(
            vec![Ok(expiring("first", START + 3600)), Err(CredentialsError::provider_error("down"))],
            Duration::ZERO,
        );
        let cache = cache.time_source(now);
        key(&cache).await.unwrap();
        time.store(START + 3600 - 3 * 60, Ordering::SeqCst);
        assert_eq!(key(&cache).await.unwrap(), "first");
        settle(&cache).await;
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
        assert_eq!(key(&cache).await.unwrap(), "first");
        settle(&cache).await;
        assert_eq!(source.calls.load(Ordering::SeqCst), 2, "backs off after a failure");
        time.fetch_add(FAILED_REFRESH_BACKOFF.as_secs(), Ordering::SeqCst);
        assert_eq!(key(&cache).await.unwrap(), "first");
        settle(&cache).await;
        assert_eq!(source.calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn near_expiry_calls_wait_for_fresh_credentials_but_fall_back_to_valid_ones() {
        let (time, now) = clock();
        let (_, cache) = cached_over(
            vec![
                Ok(expiring("first", START + 3600)),
                Err(CredentialsError::provider_error("down")),
                Ok(expiring("second", START + 7200)),
            ],
            Duration::ZERO,
        );
        let cache = cache.time_source(now);
        key(&cache).await.unwrap();
        // Stale but valid: the refresh fails, the old credentials still serve.
        time.store(START + 3600 - 30, Ordering::SeqCst);
        assert_eq!(key(&cache).await.unwrap(), "first");
        // After the backoff, the next call tries again and gets fresh ones.
        time.fetch_add(FAILED_REFRESH_BACKOFF.as_secs(), Ordering::SeqCst);
        assert_eq!(key(&cache).await.unwrap(), "second");
    }

    #[tokio::test]
    async fn expired_credentials_are_never_handed_out() {
        let (time, now) = clock();
        let (_, cache) = cached_over(
            vec![Ok(expiring("first", START + 3600)), Err(CredentialsError::provider_error("down"))],
            Duration::ZERO,
        );
        let cache = cache.time_source(now);
        key(&cache).await.unwrap();
        time.store(START + 3600, Ordering::SeqCst);
        let error = key(&cache).await.unwrap_err();
        assert_eq!(error.message(), "down");
    }

    #[tokio::test]
    async fn concurrent_calls_share_one_load_and_one_failure() {
        let (source, cache) = cached_over(vec![Ok(expiring("first", START + 3600))], Duration::from_millis(30));
        let (_, now) = clock();
        let cache = cache.time_source(now);
        let calls: Vec<_> = (0..8).map(|_| key(&cache)).collect();
        for result in futures_join_all(calls).await {
            assert_eq!(result.unwrap(), "first");
        }
        assert_eq!(source.calls.load(Ordering::SeqCst), 1);

        let (failing, cache) =
            cached_over(vec![Err(CredentialsError::not_found("nothing here"))], Duration::from_millis(30));
        let (time, now) = clock();
        let cache = cache.time_source(now);
        let calls: Vec<_> = (0..8).map(|_| key(&cache)).collect();
        for result in futures_join_all(calls).await {
            assert_eq!(result.unwrap_err().message(), "nothing here");
        }
        assert_eq!(failing.calls.load(Ordering::SeqCst), 1);
        // Right after, a call gets the same failure at once; after the backoff, it asks again.
        assert_eq!(key(&cache).await.unwrap_err().message(), "nothing here");
        assert_eq!(failing.calls.load(Ordering::SeqCst), 1);
        time.fetch_add(FAILED_REFRESH_BACKOFF.as_secs(), Ordering::SeqCst);
        assert!(key(&cache).await.is_err());
        assert_eq!(failing.calls.load(Ordering::SeqCst), 2);
    }

    /// Polls every future to completion on this task (no spawning, so they really overlap on one lock).
    async fn futures_join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
        let mut futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
        let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
        std::future::poll_fn(|cx| {
            let mut pending = false;
            for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
                if output.is_none() {
                    match future.as_mut().poll(cx) {
                        std::task::Poll::Ready(value) => *output = Some(value),
                        std::task::Poll::Pending => pending = true,
                    }
                }
            }
            if pending {
                std::task::Poll::Pending
            } else {
                std::task::Poll::Ready(())
            }
        })
        .await;
        outputs.into_iter().map(|o| o.expect("every future finished")).collect()
    }

    #[tokio::test]
    async fn a_cancelled_call_leaves_the_refresh_to_the_next_caller() {
        let (source, cache) = cached_over(vec![Ok(expiring("first", START + 3600))], Duration::from_millis(100));
        let (_, now) = clock();
        let cache = cache.time_source(now);
        assert!(tokio::time::timeout(Duration::from_millis(10), key(&cache)).await.is_err());
        assert_eq!(key(&cache).await.unwrap(), "first");
        assert_eq!(source.calls.load(Ordering::SeqCst), 1, "the next caller waited for the same refresh");
    }

    /// A source that never answers, and counts how often it was asked.
    #[derive(Debug, Default)]
    struct Silent {
        calls: AtomicUsize,
    }

    impl ProvideCredentials for Silent {
        fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            Box::pin(std::future::pending())
        }
    }

    #[tokio::test]
    async fn a_call_waits_no_longer_than_the_limit_for_a_source_that_does_not_answer() {
        let source = Arc::new(Silent::default());
        let cache = CachedCredentials::from_arc(Arc::clone(&source) as _).wait_limit(Duration::from_millis(200));
        for _ in 0..2 {
            let answer = tokio::time::timeout(Duration::from_secs(10), key(&cache)).await;
            let error = answer.expect("the wait is bounded").unwrap_err();
            assert!(error.message().contains("did not answer within 200ms"), "{error}");
        }
        assert_eq!(source.calls.load(Ordering::SeqCst), 1, "the second call waited for the same refresh");
    }

    #[tokio::test]
    async fn a_failed_refresh_in_the_last_minute_backs_off() {
        let (time, now) = clock();
        let (source, cache) = cached_over(
            vec![Ok(expiring("first", START + 3600)), Err(CredentialsError::provider_error("down"))],
            Duration::from_millis(50),
        );
        let cache = cache.time_source(now);
        key(&cache).await.unwrap();
        time.store(START + 3600 - 30, Ordering::SeqCst);
        // Each of these would otherwise wait out another failing attempt.
        for _ in 0..5 {
            assert_eq!(key(&cache).await.unwrap(), "first");
        }
        assert_eq!(source.calls.load(Ordering::SeqCst), 2, "one attempt, then the backoff");
        time.fetch_add(FAILED_REFRESH_BACKOFF.as_secs(), Ordering::SeqCst);
        assert_eq!(key(&cache).await.unwrap(), "first");
        assert_eq!(source.calls.load(Ordering::SeqCst), 3);
    }

    fn current_thread_runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
    }

    #[test]
    fn a_refresh_started_on_a_runtime_nobody_drives_any_more_holds_up_no_other_thread() {
        let (time, now) = clock();
        let (_, cache) = cached_over(
            vec![Ok(expiring("first", START + 3600)), Ok(expiring("second", START + 7200))],
            Duration::from_millis(200),
        );
        let cache = cache.time_source(now);
        let (started, started_here) = std::sync::mpsc::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let first = {
            let (cache, time) = (cache.clone(), Arc::clone(&time));
            std::thread::spawn(move || {
                let runtime = current_thread_runtime();
                runtime.block_on(async {
                    key(&cache).await.unwrap();
                    time.store(START + 3600 - 3 * 60, Ordering::SeqCst);
                    // Starts a background refresh, then gives it time to get going.
                    assert_eq!(key(&cache).await.unwrap(), "first");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                });
                started.send(()).unwrap();
                // The runtime lives on, but nothing drives it.
                let _ = released.recv();
            })
        };
        started_here.recv().unwrap();
        time.store(START + 3600 - 30, Ordering::SeqCst);
        let second = std::thread::spawn(move || {
            current_thread_runtime().block_on(async { tokio::time::timeout(Duration::from_secs(5), key(&cache)).await })
        });
        let answer = second.join().unwrap();
        release.send(()).unwrap();
        first.join().unwrap();
        assert_eq!(answer.expect("the call waited on a runtime nobody drives").unwrap(), "second");
    }

    #[test]
    fn a_refresh_whose_runtime_goes_away_before_it_runs_does_not_stop_later_refreshes() {
        let (time, now) = clock();
        let (source, cache) = cached_over(
            vec![Ok(expiring("first", START + 3600)), Ok(expiring("second", START + 7200))],
            Duration::ZERO,
        );
        let cache = cache.time_source(now);
        {
            let runtime = current_thread_runtime();
            runtime.block_on(key(&cache)).unwrap();
            time.store(START + 3600 - 3 * 60, Ordering::SeqCst);
            // Due for a background refresh; the runtime is dropped straight after.
            assert_eq!(runtime.block_on(key(&cache)).unwrap(), "first");
        }
        let refreshed = std::thread::spawn(move || {
            current_thread_runtime().block_on(async {
                let deadline = std::time::Instant::now() + Duration::from_secs(5);
                while key(&cache).await.unwrap() == "first" && std::time::Instant::now() < deadline {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                key(&cache).await.unwrap()
            })
        });
        assert_eq!(refreshed.join().unwrap(), "second");
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_refresh_dropped_before_its_first_poll_clears_the_way_and_tells_the_waiters() {
        let (source, cache) = cached_over(vec![Ok(expiring("first", START + 3600))], Duration::ZERO);
        let (_, now) = clock();
        let cache = cache.time_source(now);
        let job = {
            let mut state = cache.lock_state();
            Shared::start_refresh(&cache.shared, &mut state)
        };
        let ended = cache.shared.ended.subscribe();
        drop(job);
        assert!(!cache.lock_state().refreshing);
        assert!(ended.has_changed().unwrap(), "waiters hear that the refresh ended");
        assert_eq!(key(&cache).await.unwrap(), "first");
        assert_eq!(source.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn unexpiring_credentials_are_read_again_after_a_while() {
        let (time, now) = clock();
        let (source, cache) = cached_over(
            vec![Ok(Credentials::new("first", "s", None)), Ok(Credentials::new("second", "s", None))],
            Duration::ZERO,
        );
        let cache = cache.time_source(now);
        assert_eq!(key(&cache).await.unwrap(), "first");
        time.fetch_add(60, Ordering::SeqCst);
        assert_eq!(key(&cache).await.unwrap(), "first");
        time.fetch_add(UNEXPIRING_REUSE.as_secs(), Ordering::SeqCst);
        assert_eq!(key(&cache).await.unwrap(), "second");
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn the_refresh_window_has_jitter_and_fits_short_lifetimes() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(START);
        let long = expiring("k", START + 6 * 3600);
        let windows: std::collections::HashSet<SystemTime> =
            (0..20).map(|_| Cached::new(long.clone(), now).refresh_at).collect();
        assert!(windows.len() > 1, "the refresh time varies");
        for refresh_at in windows {
            let ahead = long.expiry().unwrap().duration_since(refresh_at).unwrap();
            assert!(ahead >= REFRESH_BEFORE_EXPIRY && ahead <= REFRESH_BEFORE_EXPIRY + REFRESH_JITTER, "{ahead:?}");
        }
        let short = Cached::new(expiring("k", START + 120), now);
        assert_eq!(short.refresh_at, now + Duration::from_secs(60));
        assert_eq!(short.stale_at, now + Duration::from_secs(90));
    }
}
