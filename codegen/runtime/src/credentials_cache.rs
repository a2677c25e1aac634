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
//! - Concurrent calls share one refresh: one of them (or the background task) asks the source, the
//!   others wait for that answer, success or failure. A refresh whose caller is cancelled hands the
//!   job to the next waiter.
//!
//! The background refresh is a task on the caller's tokio runtime; outside one, refreshes happen in
//! the last minute instead, in the call that needs them.

use std::fmt;
use std::sync::{Arc, Mutex};
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
/// After a failed background refresh, how long before the next one is tried.
pub const FAILED_REFRESH_BACKOFF: Duration = Duration::from_secs(10);

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
    /// Held by whoever is asking the source, so that concurrent calls share one refresh.
    refreshing: tokio::sync::Mutex<()>,
    clock: Option<Clock>,
}

#[derive(Default)]
struct State {
    current: Option<Cached>,
    /// Counts finished refreshes, so a waiter can tell that one finished while it waited.
    generation: u64,
    /// The error of the refresh that finished as `generation`, if it failed.
    last_error: Option<(u64, CredentialsError)>,
    background_running: bool,
    background_not_before: Option<SystemTime>,
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
        Self::build(provider, None)
    }

    /// Reads the time from `now` instead of the system clock (for tests of expiry and refresh).
    pub fn time_source(self, now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        Self::build(Arc::clone(&self.shared.provider), Some(Arc::new(now)))
    }

    fn build(provider: Arc<dyn ProvideCredentials>, clock: Option<Clock>) -> Self {
        CachedCredentials {
            shared: Arc::new(Shared {
                provider,
                state: Mutex::new(State::default()),
                refreshing: tokio::sync::Mutex::new(()),
                clock,
            }),
        }
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared.lock_state()
    }

    /// Cached credentials if they are still fresh, after starting a background refresh when one is due.
    fn fresh(&self) -> Result<Credentials, u64> {
        let now = self.shared.now();
        let mut state = self.lock_state();
        let Some(cached) = state.current.clone() else {
            return Err(state.generation);
        };
        if now >= cached.stale_at {
            return Err(state.generation);
        }
        let due = now >= cached.refresh_at
            && !state.background_running
            && state.background_not_before.is_none_or(|t| now >= t);
        if due {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                state.background_running = true;
                drop(state);
                let shared = Arc::clone(&self.shared);
                runtime.spawn(async move { shared.refresh_in_background().await });
            }
        }
        Ok(cached.credentials)
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let seen = match self.fresh() {
            Ok(credentials) => return Ok(credentials),
            Err(generation) => generation,
        };
        let _turn = self.shared.refreshing.lock().await;
        {
            // Someone else may have refreshed while this call waited for its turn.
            let state = self.lock_state();
            if state.generation != seen {
                if let Some((generation, error)) = &state.last_error {
                    if *generation == state.generation {
                        return Err(error.clone());
                    }
                }
                // A refresh that finished without an error left credentials that still work.
                if let Some(cached) = &state.current {
                    if self.shared.now() < cached.expires_at {
                        return Ok(cached.credentials.clone());
                    }
                }
            }
        }
        let result = self.shared.provider.provide_credentials().await;
        let now = self.shared.now();
        let mut state = self.lock_state();
        state.generation += 1;
        match result {
            Ok(credentials) => {
                state.current = Some(Cached::new(credentials.clone(), now));
                state.last_error = None;
                Ok(credentials)
            }
            Err(error) => {
                let generation = state.generation;
                // Credentials that are stale but not yet expired still sign requests that work.
                if let Some(cached) = state.current.as_ref().filter(|c| now < c.expires_at) {
                    return Ok(cached.credentials.clone());
                }
                state.last_error = Some((generation, error.clone()));
                Err(error)
            }
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

    async fn refresh_in_background(&self) {
        /// Clears the running flag however the task ends, even if its runtime drops it midway.
        struct Running<'a>(&'a Shared);
        impl Drop for Running<'_> {
            fn drop(&mut self) {
                self.0.lock_state().background_running = false;
            }
        }
        let _running = Running(self);
        let _turn = self.refreshing.lock().await;
        let due = {
            let state = self.lock_state();
            state.current.as_ref().is_some_and(|c| self.now() >= c.refresh_at)
        };
        if !due {
            return;
        }
        let result = self.provider.provide_credentials().await;
        let now = self.now();
        let mut state = self.lock_state();
        match result {
            Ok(credentials) => {
                state.generation += 1;
                state.current = Some(Cached::new(credentials, now));
                state.last_error = None;
                state.background_not_before = None;
            }
            // The cached credentials stay; the next try waits a little.
            Err(_) => state.background_not_before = Some(now + FAILED_REFRESH_BACKOFF),
        }
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

    /// Lets spawned background work run to completion.
    async fn settle() {
        for _ in 0..50 {
            tokio::task::yield_now().await;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
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
        settle().await;
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
        settle().await;
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
        assert_eq!(key(&cache).await.unwrap(), "first");
        settle().await;
        assert_eq!(source.calls.load(Ordering::SeqCst), 2, "backs off after a failure");
        time.fetch_add(FAILED_REFRESH_BACKOFF.as_secs(), Ordering::SeqCst);
        assert_eq!(key(&cache).await.unwrap(), "first");
        settle().await;
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
        // The next call tries again and gets fresh ones.
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
        let calls: Vec<_> = (0..8).map(|_| key(&cache)).collect();
        for result in futures_join_all(calls).await {
            assert_eq!(result.unwrap_err().message(), "nothing here");
        }
        assert_eq!(failing.calls.load(Ordering::SeqCst), 1);
        // A later call asks again: failures are not cached.
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
    async fn a_cancelled_load_hands_over_to_the_next_caller() {
        let (source, cache) = cached_over(vec![Ok(expiring("first", START + 3600))], Duration::from_millis(100));
        let (_, now) = clock();
        let cache = cache.time_source(now);
        assert!(tokio::time::timeout(Duration::from_millis(10), key(&cache)).await.is_err());
        assert_eq!(key(&cache).await.unwrap(), "first");
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
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
