//! Retry policy for the generated client: how many attempts to make, how long to wait between
//! them, and which failed responses are worth another attempt (following the AWS SDKs'
//! "standard" retry mode).
//!
//! This module only decides; the orchestrator runs the loop. A typical attempt loop:
//!
//! ```text
//! for attempt in 1..=config.max_attempts() {
//!     let outcome = send_once().await;
//!     let retryable = match &outcome {
//!         Ok(response) if is_success(response) => return Ok(..),
//!         Ok(response) => classify(status, error_code, modeled_retryable).is_retryable(),
//!         Err(transport_error) => transport_error.is_retryable(),
//!     };
//!     if !retryable || attempt == config.max_attempts() {
//!         return Err(..);
//!     }
//!     tokio::time::sleep(random_backoff_delay(&config, attempt)).await;
//! }
//! ```

use std::time::Duration;

/// How many times to try a request and how long to back off between tries.
///
/// The defaults are the AWS SDKs' standard retry mode: 3 attempts in total (the first plus two
/// retries), an exponential backoff that starts from 1 s and is capped at 20 s. (AWS has
/// announced a lower 50 ms start for non-throttling errors in its 2026 retry update; use
/// [`with_initial_backoff`](Self::with_initial_backoff) to opt into something like it.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl RetryConfig {
    /// Attempts made by the standard mode, counting the first one.
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
    /// Upper bound of the first backoff in the standard mode.
    pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_secs(1);
    /// Cap on any single backoff in the standard mode.
    pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(20);

    /// The standard retry mode; the same as `RetryConfig::default()`.
    pub fn standard() -> Self {
        Self {
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            initial_backoff: Self::DEFAULT_INITIAL_BACKOFF,
            max_backoff: Self::DEFAULT_MAX_BACKOFF,
        }
    }

    /// A single attempt: failures are returned as they are, never retried.
    pub fn disabled() -> Self {
        Self::standard().with_max_attempts(1)
    }

    /// Sets the total number of attempts, counting the first one. `0` is taken as `1`,
    /// because a request is always tried at least once.
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the upper bound of the wait after the first failed attempt; each later wait's bound
    /// doubles, up to [`max_backoff`](Self::max_backoff).
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the cap on any single wait between attempts.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// The total number of attempts, counting the first one; at least 1.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The upper bound of the wait after the first failed attempt.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The cap on any single wait between attempts.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

/// How long to wait after failed attempt number `attempt` (1 for the first attempt) before the
/// next one, given a `random` number in `[0, 1)`.
///
/// This is "full jitter": the wait is `random × min(max_backoff, initial_backoff × 2^(attempt-1))`,
/// so waits are spread over the whole range instead of clustering, even once the cap is
/// reached. `attempt` 0 is treated as 1. A `random` outside `[0, 1]` (or NaN) is clamped into
/// it rather than trusted, so the result never exceeds the cap.
pub fn backoff_delay(config: &RetryConfig, attempt: u32, random: f64) -> Duration {
    let random = if random.is_nan() { 0.0 } else { random.clamp(0.0, 1.0) };
    let ceiling = backoff_ceiling(config, attempt);
    // `Duration::mul_f64` panics when the product does not fit (e.g. a `Duration::MAX` cap
    // rounded up in f64); the checked form falls back to the cap instead.
    Duration::try_from_secs_f64(ceiling.as_secs_f64() * random).map_or(ceiling, |delay| delay.min(ceiling))
}

/// [`backoff_delay`] with a fresh random number from `fastrand`.
pub fn random_backoff_delay(config: &RetryConfig, attempt: u32) -> Duration {
    backoff_delay(config, attempt, fastrand::f64())
}

/// `min(max_backoff, initial_backoff × 2^(attempt-1))` without overflowing for any input.
fn backoff_ceiling(config: &RetryConfig, attempt: u32) -> Duration {
    let doublings = attempt.saturating_sub(1);
    let exponential = 1u32.checked_shl(doublings).and_then(|factor| config.initial_backoff.checked_mul(factor));
    match exponential {
        Some(delay) => delay.min(config.max_backoff),
        None => config.max_backoff,
    }
}

/// AWS error codes that mean "slow down": always worth retrying after a backoff.
const THROTTLING_ERROR_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// AWS error codes for transient failures the standard retry mode retries. Server-side faults
/// such as `InternalError` are not listed: they arrive with a 5xx status, which is retried
/// on its own.
const TRANSIENT_ERROR_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// AWS error codes that say the request's signing time is too far from the service's clock (or,
/// for some, that the signature does not match, which a skewed clock also causes). The client
/// corrects its clock from the response's `Date` and retries (see the `client` module).
const CLOCK_SKEW_ERROR_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// HTTP statuses the standard retry mode treats as transient server failures. Other 5xx
/// statuses (501 Not Implemented, 505, ...) would fail the same way again.
const TRANSIENT_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// The bare error name from a code as protocols deliver it: `aws.foo#ThrottlingException`
/// (awsJson `__type`) and `ThrottlingException:http://...` (`x-amzn-ErrorType`) both become
/// `ThrottlingException`.
fn bare_error_code(code: &str) -> &str {
    let code = code.rsplit_once('#').map_or(code, |(_, name)| name);
    code.split_once(':').map_or(code, |(name, _)| name).trim()
}

/// Whether `code` is one of the AWS throttling error codes (e.g. `ThrottlingException`,
/// `TooManyRequestsException`, `SlowDown`). Accepts bare or namespaced codes; case-sensitive,
/// as AWS codes are.
pub fn is_throttling_error(code: &str) -> bool {
    THROTTLING_ERROR_CODES.contains(&bare_error_code(code))
}

/// Whether `code` is one of the AWS transient error codes (`RequestTimeout`,
/// `RequestTimeoutException`). Accepts bare or namespaced codes; case-sensitive.
pub fn is_transient_error(code: &str) -> bool {
    TRANSIENT_ERROR_CODES.contains(&bare_error_code(code))
}

/// Whether `code` is one of the AWS clock-skew error codes (`RequestTimeTooSkewed`,
/// `InvalidSignatureException`, `SignatureDoesNotMatch`, `RequestExpired`, ...). Accepts bare or
/// namespaced codes; case-sensitive.
pub fn is_clock_skew_error(code: &str) -> bool {
    CLOCK_SKEW_ERROR_CODES.contains(&bare_error_code(code))
}

/// Why a failed response may or may not be retried; the result of [`classify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    /// The service is throttling the caller (HTTP 429 or a throttling error code).
    Throttling,
    /// A transient failure: a 500/502/503/504, a transient error code, or a modeled error
    /// marked `@retryable`.
    Transient,
    /// Retrying would fail the same way (e.g. validation or authorization errors).
    NotRetryable,
}

impl RetryKind {
    /// Whether another attempt may be made.
    pub fn is_retryable(self) -> bool {
        !matches!(self, Self::NotRetryable)
    }
}

/// Classifies a failed HTTP response for retrying.
///
/// - `status`: the response's HTTP status code;
/// - `error_code`: the AWS error code parsed from the response, if any (bare or namespaced);
/// - `modeled_retryable`: whether the code names a modeled error shape that carries Smithy's
///   `@retryable` trait (the generated code knows this; the code alone does not say).
///
/// An error code decides before the status does, since services send throttling and timeout
/// codes with 400. After that, 429 is throttling, 500/502/503/504 are transient, and every
/// other status, including all other 4xx, is not retryable.
pub fn classify(status: u16, error_code: Option<&str>, modeled_retryable: bool) -> RetryKind {
    if error_code.is_some_and(is_throttling_error) || status == 429 {
        RetryKind::Throttling
    } else if error_code.is_some_and(is_transient_error)
        || modeled_retryable
        || TRANSIENT_STATUS_CODES.contains(&status)
    {
        RetryKind::Transient
    } else {
        RetryKind::NotRetryable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn config(initial_ms: u64, max_ms: u64) -> RetryConfig {
        RetryConfig::standard().with_initial_backoff(ms(initial_ms)).with_max_backoff(ms(max_ms))
    }

    #[test]
    fn standard_defaults_match_the_aws_standard_mode() {
        let c = RetryConfig::default();
        assert_eq!(c, RetryConfig::standard());
        assert_eq!(c.max_attempts(), 3);
        assert_eq!(c.initial_backoff(), Duration::from_secs(1));
        assert_eq!(c.max_backoff(), Duration::from_secs(20));
    }

    #[test]
    fn disabled_makes_exactly_one_attempt() {
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
    }

    #[test]
    fn setters_apply_and_zero_attempts_means_one() {
        let c = RetryConfig::standard().with_max_attempts(5).with_initial_backoff(ms(50)).with_max_backoff(ms(800));
        assert_eq!((c.max_attempts(), c.initial_backoff(), c.max_backoff()), (5, ms(50), ms(800)));
        assert_eq!(c.with_max_attempts(0).max_attempts(), 1);
    }

    #[test]
    fn zero_random_never_waits() {
        let c = RetryConfig::standard();
        for attempt in [0, 1, 2, 3, 10, 40, u32::MAX] {
            assert_eq!(backoff_delay(&c, attempt, 0.0), Duration::ZERO, "attempt {attempt}");
        }
    }

    #[test]
    fn half_random_doubles_each_attempt_until_the_cap() {
        let c = config(100, 1000);
        let delays: Vec<_> = (1..=7).map(|a| backoff_delay(&c, a, 0.5)).collect();
        assert_eq!(delays, [ms(50), ms(100), ms(200), ms(400), ms(500), ms(500), ms(500)]);
    }

    #[test]
    fn near_one_random_approaches_the_ceiling_but_stays_below_it() {
        let c = config(100, 1000);
        let expected_ceilings = [100, 200, 400, 800, 1000, 1000];
        for (attempt, ceiling) in (1..).zip(expected_ceilings) {
            let delay = backoff_delay(&c, attempt, 0.999);
            assert_eq!(delay, ms(ceiling).mul_f64(0.999), "attempt {attempt}");
            assert!(delay < ms(ceiling));
        }
    }

    #[test]
    fn standard_config_grows_from_one_second_to_twenty() {
        let c = RetryConfig::standard();
        let ceilings: Vec<_> = (1..=7).map(|a| backoff_delay(&c, a, 1.0)).collect();
        let secs = |s: u64| Duration::from_secs(s);
        assert_eq!(ceilings, [secs(1), secs(2), secs(4), secs(8), secs(16), secs(20), secs(20)]);
    }

    #[test]
    fn attempt_zero_is_treated_as_the_first() {
        let c = config(100, 1000);
        assert_eq!(backoff_delay(&c, 0, 0.5), backoff_delay(&c, 1, 0.5));
    }

    #[test]
    fn huge_attempt_numbers_and_backoffs_saturate_at_the_cap() {
        let c = config(100, 1000);
        assert_eq!(backoff_delay(&c, 33, 0.5), ms(500));
        assert_eq!(backoff_delay(&c, u32::MAX, 0.5), ms(500));

        let huge =
            RetryConfig::standard().with_initial_backoff(Duration::MAX).with_max_backoff(Duration::from_secs(20));
        assert_eq!(backoff_delay(&huge, 2, 0.5), Duration::from_secs(10));

        let unbounded = RetryConfig::standard().with_initial_backoff(Duration::MAX).with_max_backoff(Duration::MAX);
        assert_eq!(backoff_delay(&unbounded, 1, 1.0), Duration::MAX);
        assert!(backoff_delay(&unbounded, 1, 0.5) > Duration::from_secs(u64::MAX / 4));
    }

    #[test]
    fn initial_backoff_above_the_cap_is_capped() {
        let c = config(5000, 1000);
        assert_eq!(backoff_delay(&c, 1, 0.5), ms(500));
    }

    #[test]
    fn out_of_range_random_is_clamped() {
        let c = config(100, 1000);
        assert_eq!(backoff_delay(&c, 1, -3.0), Duration::ZERO);
        assert_eq!(backoff_delay(&c, 1, f64::NAN), Duration::ZERO);
        assert_eq!(backoff_delay(&c, 1, 7.0), ms(100));
        assert_eq!(backoff_delay(&c, 1, f64::INFINITY), ms(100));
    }

    #[test]
    fn random_backoff_stays_within_the_ceiling() {
        let c = config(100, 1000);
        for attempt in 1..=6 {
            let ceiling = backoff_delay(&c, attempt, 1.0);
            for _ in 0..200 {
                assert!(random_backoff_delay(&c, attempt) < ceiling);
            }
        }
    }

    #[test]
    fn random_backoff_is_actually_jittered() {
        let c = config(1000, 1000);
        let first = random_backoff_delay(&c, 1);
        // 50 draws from a continuous range all landing on the same value would mean no jitter.
        assert!((0..50).any(|_| random_backoff_delay(&c, 1) != first));
    }

    #[test]
    fn every_standard_throttling_code_is_recognised() {
        for code in THROTTLING_ERROR_CODES {
            assert!(is_throttling_error(code), "{code}");
            assert!(!is_transient_error(code), "{code}");
        }
        assert_eq!(THROTTLING_ERROR_CODES.len(), 14);
    }

    #[test]
    fn transient_codes_are_recognised() {
        assert!(is_transient_error("RequestTimeout"));
        assert!(is_transient_error("RequestTimeoutException"));
        assert!(!is_throttling_error("RequestTimeout"));
    }

    #[test]
    fn codes_are_matched_exactly_after_stripping_namespaces() {
        assert!(is_throttling_error("com.amazonaws.codepipeline#ThrottlingException"));
        assert!(is_throttling_error(
            "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/"
        ));
        assert!(is_transient_error("aws.protocols#RequestTimeout"));
        assert!(!is_throttling_error("throttlingexception"));
        assert!(!is_throttling_error("ThrottlingExceptionX"));
        assert!(!is_throttling_error(""));
        assert!(!is_transient_error("InternalError"));
        assert!(!is_transient_error("ValidationException"));
    }

    #[test]
    fn classification_table() {
        use RetryKind::*;
        let cases: &[(u16, Option<&str>, bool, RetryKind)] = &[
            // Statuses without an error code.
            (500, None, false, Transient),
            (502, None, false, Transient),
            (503, None, false, Transient),
            (504, None, false, Transient),
            (429, None, false, Throttling),
            (501, None, false, NotRetryable),
            (505, None, false, NotRetryable),
            (400, None, false, NotRetryable),
            (403, None, false, NotRetryable),
            (404, None, false, NotRetryable),
            (409, None, false, NotRetryable),
            (413, None, false, NotRetryable),
            (200, None, false, NotRetryable),
            // Codes decide before statuses.
            (400, Some("ThrottlingException"), false, Throttling),
            (400, Some("RequestLimitExceeded"), false, Throttling),
            (503, Some("SlowDown"), false, Throttling),
            (500, Some("ThrottlingException"), false, Throttling),
            (400, Some("RequestTimeout"), false, Transient),
            (408, Some("RequestTimeoutException"), false, Transient),
            (429, Some("ValidationException"), false, Throttling),
            (500, Some("InternalError"), false, Transient),
            (503, Some("ServiceUnavailable"), false, Transient),
            // Ordinary client errors stay final.
            (400, Some("ValidationException"), false, NotRetryable),
            (400, Some("InvalidJobIdException"), false, NotRetryable),
            (403, Some("AccessDeniedException"), false, NotRetryable),
            (400, Some("InvalidSignatureException"), false, NotRetryable),
            // A modeled `@retryable` error is retried whatever its status.
            (400, Some("ConcurrentModificationException"), true, Transient),
            (409, None, true, Transient),
            (400, Some("ThrottlingException"), true, Throttling),
        ];
        for &(status, code, modeled, expected) in cases {
            assert_eq!(
                classify(status, code, modeled),
                expected,
                "status {status}, code {code:?}, modeled_retryable {modeled}"
            );
        }
    }

    #[test]
    fn only_not_retryable_is_final() {
        assert!(RetryKind::Throttling.is_retryable());
        assert!(RetryKind::Transient.is_retryable());
        assert!(!RetryKind::NotRetryable.is_retryable());
    }

    #[test]
    fn clock_skew_codes_are_recognised_bare_or_namespaced() {
        for code in ["RequestTimeTooSkewed", "InvalidSignatureException", "SignatureDoesNotMatch", "RequestExpired"] {
            assert!(is_clock_skew_error(code), "{code}");
            assert!(is_clock_skew_error(&format!("com.amazonaws.svc#{code}")), "{code}");
        }
        assert!(!is_clock_skew_error("AccessDeniedException"));
        assert!(!is_clock_skew_error("requesttimetooskewed"), "case-sensitive, as AWS codes are");
    }
}
