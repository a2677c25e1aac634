//! Waiters (`smithy.waiters#waitable`): the polling loop every generated waiter runs, its delays as
//! the Smithy waiters specification computes them, the error that says why a wait ended badly, and
//! the small JMESPath value the generated acceptors compute on.
//!
//! The generator compiles each acceptor's path to Rust over the crate's own types; what those paths
//! compute beyond navigation (comparisons, truthiness, `length`, `contains`) is here, once.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

/// A JMESPath value, as far as waiters need one. Objects are known only by their number of members:
/// generated paths reach into structures through their fields, and only truthiness and `length` ever
/// look at a whole object.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`, also what a member that is not set gives.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (every Smithy number, and timestamps as epoch seconds).
    Number(f64),
    /// A string (also an enum's value).
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object with this many members.
    Object(usize),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(text: &'a str) -> Self {
        Value::String(Cow::Borrowed(text))
    }
}

impl<'a> Value<'a> {
    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// JMESPath's truthiness: false, null, an empty string, array or object are false; everything else
    /// (every number included) is true.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(_) => true,
            Value::String(s) => !s.is_empty(),
            Value::Array(items) => !items.is_empty(),
            Value::Object(members) => *members > 0,
        }
    }

    /// `length(value)`: characters of a string, elements of an array, members of an object; null for
    /// anything else (where JMESPath would raise an error, a waiter's acceptor simply does not match).
    pub fn length(&self) -> Value<'static> {
        match self {
            Value::String(s) => Value::Number(s.chars().count() as f64),
            Value::Array(items) => Value::Number(items.len() as f64),
            Value::Object(members) => Value::Number(*members as f64),
            _ => Value::Null,
        }
    }

    /// `value[index]`, a negative index counting from the end; null out of range or on a non-array.
    pub fn index(self, index: i64) -> Value<'a> {
        let Value::Array(mut items) = self else { return Value::Null };
        let at = if index >= 0 {
            usize::try_from(index).ok()
        } else {
            usize::try_from(index.unsigned_abs()).ok().and_then(|back| items.len().checked_sub(back))
        };
        match at {
            Some(at) if at < items.len() => items.swap_remove(at),
            _ => Value::Null,
        }
    }
}

/// A comparison operator of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// `left op right` as JMESPath evaluates it: `==` and `!=` compare any two values deeply; the
/// ordering operators compare numbers and give null for anything else.
pub fn compare(op: Comparison, left: &Value<'_>, right: &Value<'_>) -> Value<'static> {
    match op {
        Comparison::Eq => Value::Bool(left == right),
        Comparison::Ne => Value::Bool(left != right),
        _ => {
            let (Value::Number(l), Value::Number(r)) = (left, right) else { return Value::Null };
            Value::Bool(match op {
                Comparison::Lt => l < r,
                Comparison::Le => l <= r,
                Comparison::Gt => l > r,
                _ => l >= r,
            })
        }
    }
}

/// `contains(subject, search)`: an array with an element equal to `search`, or a string containing
/// the string `search`; null when `subject` is neither.
pub fn contains(subject: &Value<'_>, search: &Value<'_>) -> Value<'static> {
    match (subject, search) {
        (Value::Array(items), search) => Value::Bool(items.iter().any(|item| item == search)),
        (Value::String(text), Value::String(search)) => Value::Bool(text.contains(search.as_ref())),
        (Value::String(_), _) => Value::Bool(false),
        _ => Value::Null,
    }
}

/// The `stringEquals` comparator.
pub fn string_equals(value: &Value<'_>, expected: &str) -> bool {
    matches!(value, Value::String(s) if s == expected)
}

/// The `booleanEquals` comparator.
pub fn boolean_equals(value: &Value<'_>, expected: bool) -> bool {
    matches!(value, Value::Bool(b) if *b == expected)
}

/// The `allStringEquals` comparator: a non-empty array of strings all equal to `expected`.
pub fn all_string_equals(value: &Value<'_>, expected: &str) -> bool {
    matches!(value, Value::Array(items) if !items.is_empty() && items.iter().all(|item| string_equals(item, expected)))
}

/// The `anyStringEquals` comparator: an array with some string equal to `expected`.
pub fn any_string_equals(value: &Value<'_>, expected: &str) -> bool {
    matches!(value, Value::Array(items) if items.iter().any(|item| string_equals(item, expected)))
}

/// The state an acceptor moves the waiter to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// Done: the resource is in the state waited for.
    Success,
    /// Done: the resource will never get there.
    Failure,
    /// Poll again.
    Retry,
}

/// A waiter's delays between polls, from the model (`minDelay`, `maxDelay`; 2 s and 120 s when it
/// gives none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiterConfig {
    min_delay: Duration,
    max_delay: Duration,
}

impl WaiterConfig {
    /// Delays from `min_delay_secs` to `max_delay_secs` (a zero minimum counts as one second, and a
    /// maximum below the minimum as the minimum).
    pub const fn new(min_delay_secs: u64, max_delay_secs: u64) -> Self {
        let min = if min_delay_secs == 0 { 1 } else { min_delay_secs };
        let max = if max_delay_secs < min { min } else { max_delay_secs };
        WaiterConfig { min_delay: Duration::from_secs(min), max_delay: Duration::from_secs(max) }
    }

    /// The shortest delay between polls.
    pub fn min_delay(&self) -> Duration {
        self.min_delay
    }

    /// The longest delay between polls.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The delay before retry number `attempt` (1 for the first retry) with `remaining` left before
    /// the deadline: exponential backoff from `minDelay`, capped at `maxDelay`, with full jitter in
    /// whole seconds; and when waiting it would leave no more than `minDelay`, all of `remaining`, so
    /// the last poll happens at the deadline rather than never.
    pub fn delay(&self, attempt: u32, remaining: Duration, random: &mut fastrand::Rng) -> Duration {
        let min = self.min_delay.as_secs();
        let max = self.max_delay.as_secs();
        // The number of attempts before doubling passes `maxDelay`; past it, the doubling (which
        // would overflow soon after) is not computed at all.
        let ceiling = (max as f64 / min as f64).ln() / std::f64::consts::LN_2 + 1.0;
        let upper = if f64::from(attempt) > ceiling {
            max
        } else {
            let doublings = attempt.saturating_sub(1);
            1u64.checked_shl(doublings).map_or(max, |factor| min.saturating_mul(factor)).min(max)
        };
        let delay = Duration::from_secs(random.u64(min..=upper.max(min)));
        if remaining.saturating_sub(delay) <= self.min_delay {
            remaining
        } else {
            delay
        }
    }
}

/// How a wait that succeeded ended: the last poll's result (a success acceptor can match an error,
/// as a "deleted" waiter's does on `ResourceNotFoundException`) and how many polls it took.
#[derive(Debug)]
pub struct FinalPoll<O, E> {
    result: Result<O, E>,
    attempts: u32,
}

impl<O, E> FinalPoll<O, E> {
    /// The last poll's output, or the error a success acceptor matched.
    pub fn as_result(&self) -> Result<&O, &E> {
        self.result.as_ref()
    }

    /// The same, by value.
    pub fn into_result(self) -> Result<O, E> {
        self.result
    }

    /// How many times the operation was called.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// Why a wait ended without reaching a success state.
#[derive(Debug)]
pub enum WaiterError<O, E> {
    /// The time the caller allowed passed while the acceptors still said "retry".
    ExceededMaxWait {
        /// The time the caller allowed.
        max_wait: Duration,
        /// The time spent.
        elapsed: Duration,
        /// How many times the operation was called.
        attempts: u32,
    },
    /// An acceptor with the `failure` state matched: the resource will not reach the state waited for.
    FailureState {
        /// The poll it matched: an output, or an error an `errorType` or `success: false` matcher named.
        response: Result<O, E>,
        /// The acceptor that matched, by its position in the model's list.
        acceptor: usize,
        /// How many times the operation was called.
        attempts: u32,
    },
    /// The operation failed in a way no acceptor matches (so the wait cannot go on), or the input
    /// could not be built (`attempts` is then 0).
    OperationFailed {
        /// The operation's error.
        error: E,
        /// How many times the operation was called.
        attempts: u32,
    },
}

impl<O, E> WaiterError<O, E> {
    /// How many times the operation was called.
    pub fn attempts(&self) -> u32 {
        match self {
            WaiterError::ExceededMaxWait { attempts, .. }
            | WaiterError::FailureState { attempts, .. }
            | WaiterError::OperationFailed { attempts, .. } => *attempts,
        }
    }
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::ExceededMaxWait { max_wait, attempts, .. } => write!(
                f,
                "the waiter gave up: {} s passed (the time allowed) without a success or failure state, after {attempts} attempt(s)",
                max_wait.as_secs_f64()
            ),
            WaiterError::FailureState { response: Ok(_), attempts, .. } => {
                write!(f, "the waiter reached a failure state (the response matched a failure acceptor) after {attempts} attempt(s)")
            }
            WaiterError::FailureState { response: Err(e), attempts, .. } => {
                write!(f, "the waiter reached a failure state after {attempts} attempt(s): {e}")
            }
            WaiterError::OperationFailed { error, attempts } => {
                write!(f, "the waiter stopped: the operation failed in a way no acceptor matches after {attempts} attempt(s): {error}")
            }
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaiterError::FailureState { response: Err(e), .. } | WaiterError::OperationFailed { error: e, .. } => {
                Some(e)
            }
            _ => None,
        }
    }
}

/// Polls with `poll` until `acceptors` names a success or failure state, or `max_wait` has passed,
/// sleeping between polls as [`WaiterConfig::delay`] says. `acceptors` gives the state of the first
/// acceptor that matches a poll's result, and that acceptor's position in the model's list. The first poll happens at once. A poll
/// whose result no acceptor matches is retried if it succeeded and ends the wait if it failed.
/// A call in flight when the deadline passes is let finish (the client's own timeouts bound it);
/// no sleep goes past the deadline.
pub async fn wait<O, E, F, Fut, A>(
    config: WaiterConfig,
    max_wait: Duration,
    mut poll: F,
    mut acceptors: A,
) -> Result<FinalPoll<O, E>, WaiterError<O, E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<O, E>>,
    A: FnMut(&Result<O, E>) -> Option<(AcceptorState, usize)>,
{
    let start = Instant::now();
    let mut random = fastrand::Rng::new();
    let mut attempts = 0u32;
    loop {
        attempts = attempts.saturating_add(1);
        let result = poll().await;
        match acceptors(&result) {
            Some((AcceptorState::Success, _)) => return Ok(FinalPoll { result, attempts }),
            Some((AcceptorState::Failure, acceptor)) => {
                return Err(WaiterError::FailureState { response: result, acceptor, attempts })
            }
            Some((AcceptorState::Retry, _)) => {}
            None => {
                if let Err(error) = result {
                    return Err(WaiterError::OperationFailed { error, attempts });
                }
            }
        }
        let elapsed = start.elapsed();
        let remaining = max_wait.saturating_sub(elapsed);
        if remaining.is_zero() {
            return Err(WaiterError::ExceededMaxWait { max_wait, elapsed, attempts });
        }
        tokio::time::sleep(config.delay(attempts, remaining, &mut random)).await;
    }
}

/// What the command-line tool's `wait <waiter-name>` reports for a wait that ended badly, worded as
/// the AWS CLI words it: `Waiter TableExists failed: Max attempts exceeded`, `Waiter X failed:
/// Waiter encountered a terminal failure state: For expression "Status" we matched expected path:
/// "FAILED"` (`failure_reasons[i]` describes acceptor `i`), `Waiter X failed: An error occurred
/// (Code): message`; all exit with 255. A configuration error keeps its own exit code (253).
#[cfg(feature = "cli")]
pub fn cli_failure<O, E: fmt::Display>(
    waiter: &str,
    error: WaiterError<O, crate::error::SdkError<E>>,
    failure_reasons: &[&str],
) -> crate::cli_app::Failure {
    use crate::cli_app::Failure;
    use crate::error::SdkError;
    let reason = match error {
        WaiterError::ExceededMaxWait { max_wait, attempts, .. } => format!(
            "Max attempts exceeded (no success or failure state after {attempts} attempt(s) in {} s)",
            max_wait.as_secs_f64()
        ),
        WaiterError::FailureState { acceptor, .. } => {
            let detail = failure_reasons.get(acceptor).copied().unwrap_or_default();
            if detail.is_empty() {
                "Waiter encountered a terminal failure state".to_string()
            } else {
                format!("Waiter encountered a terminal failure state: {detail}")
            }
        }
        WaiterError::OperationFailed { error, .. } => match error {
            SdkError::Config(e) => return Failure::config(e),
            SdkError::Validation(e) => return Failure::Usage(e.to_string()),
            SdkError::Service(e) => {
                let code = e.meta().code().unwrap_or("Unknown").to_string();
                let message = match e.meta().message() {
                    Some(message) => message.to_string(),
                    None => e.err().to_string(),
                };
                format!("An error occurred ({code}): {message}")
            }
            other => other.to_string(),
        },
    };
    Failure::Waiter(format!("Waiter {waiter} failed: {reason}"))
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    fn s(text: &str) -> Value<'_> {
        Value::from(text)
    }

    #[test]
    fn truthiness_follows_jmespath() {
        for falsy in [Value::Null, Value::Bool(false), s(""), Value::Array(vec![]), Value::Object(0)] {
            assert!(!falsy.is_truthy(), "{falsy:?}");
        }
        for truthy in [Value::Bool(true), Value::Number(0.0), s("x"), Value::Array(vec![Value::Null]), Value::Object(2)]
        {
            assert!(truthy.is_truthy(), "{truthy:?}");
        }
    }

    #[test]
    fn length_counts_characters_elements_and_members() {
        assert_eq!(s("héllo").length(), Value::Number(5.0));
        assert_eq!(Value::Array(vec![Value::Null, Value::Null]).length(), Value::Number(2.0));
        assert_eq!(Value::Object(3).length(), Value::Number(3.0));
        assert_eq!(Value::Number(3.0).length(), Value::Null);
        assert_eq!(Value::Null.length(), Value::Null);
    }

    #[test]
    fn index_counts_from_either_end_and_is_null_outside() {
        let list = || Value::Array(vec![s("a"), s("b"), s("c")]);
        assert_eq!(list().index(0), s("a"));
        assert_eq!(list().index(2), s("c"));
        assert_eq!(list().index(-1), s("c"));
        assert_eq!(list().index(-3), s("a"));
        assert_eq!(list().index(3), Value::Null);
        assert_eq!(list().index(-4), Value::Null);
        assert_eq!(list().index(i64::MIN), Value::Null);
        assert_eq!(s("abc").index(0), Value::Null);
    }

    #[test]
    fn comparisons_follow_jmespath() {
        assert_eq!(compare(Comparison::Eq, &s("a"), &s("a")), Value::Bool(true));
        assert_eq!(compare(Comparison::Eq, &s("a"), &Value::Null), Value::Bool(false));
        assert_eq!(compare(Comparison::Ne, &Value::Number(1.0), &Value::Number(2.0)), Value::Bool(true));
        assert_eq!(
            compare(Comparison::Eq, &Value::Array(vec![s("a")]), &Value::Array(vec![s("a")])),
            Value::Bool(true)
        );
        assert_eq!(compare(Comparison::Lt, &Value::Number(1.0), &Value::Number(2.0)), Value::Bool(true));
        assert_eq!(compare(Comparison::Le, &Value::Number(2.0), &Value::Number(2.0)), Value::Bool(true));
        assert_eq!(compare(Comparison::Gt, &Value::Number(1.0), &Value::Number(2.0)), Value::Bool(false));
        assert_eq!(compare(Comparison::Ge, &Value::Number(3.0), &Value::Number(2.0)), Value::Bool(true));
        // Ordering is for numbers only.
        assert_eq!(compare(Comparison::Lt, &s("a"), &s("b")), Value::Null);
        assert_eq!(compare(Comparison::Gt, &Value::Null, &Value::Number(0.0)), Value::Null);
    }

    #[test]
    fn contains_searches_arrays_and_strings() {
        let list = Value::Array(vec![s("a"), Value::Number(1.0)]);
        assert_eq!(contains(&list, &Value::Number(1.0)), Value::Bool(true));
        assert_eq!(contains(&list, &s("b")), Value::Bool(false));
        assert_eq!(contains(&s("foobar"), &s("oba")), Value::Bool(true));
        assert_eq!(contains(&s("foobar"), &s("x")), Value::Bool(false));
        assert_eq!(contains(&s("foobar"), &Value::Number(1.0)), Value::Bool(false));
        assert_eq!(contains(&Value::Null, &s("x")), Value::Null);
    }

    #[test]
    fn comparators_match_only_values_of_their_type() {
        assert!(string_equals(&s("ACTIVE"), "ACTIVE"));
        assert!(!string_equals(&s("CREATING"), "ACTIVE"));
        assert!(!string_equals(&Value::Null, "ACTIVE"));
        assert!(!string_equals(&Value::Array(vec![s("ACTIVE")]), "ACTIVE"));
        assert!(boolean_equals(&Value::Bool(true), true));
        assert!(!boolean_equals(&Value::Bool(true), false));
        assert!(!boolean_equals(&s("true"), true));
        let all = Value::Array(vec![s("OK"), s("OK")]);
        let mixed = Value::Array(vec![s("OK"), s("NO")]);
        assert!(all_string_equals(&all, "OK"));
        assert!(!all_string_equals(&mixed, "OK"));
        // An empty list matches no `allStringEquals`: there is nothing that is all done.
        assert!(!all_string_equals(&Value::Array(vec![]), "OK"));
        assert!(!all_string_equals(&s("OK"), "OK"));
        assert!(any_string_equals(&mixed, "NO"));
        assert!(!any_string_equals(&mixed, "MAYBE"));
        assert!(!any_string_equals(&Value::Array(vec![]), "OK"));
        assert!(!any_string_equals(&Value::Null, "OK"));
    }

    #[test]
    fn delays_grow_from_min_to_max_with_jitter() {
        let config = WaiterConfig::new(2, 120);
        let mut random = fastrand::Rng::with_seed(7);
        let far = Duration::from_secs(100_000);
        for _ in 0..200 {
            assert_eq!(config.delay(1, far, &mut random), Duration::from_secs(2));
            let second = config.delay(2, far, &mut random).as_secs();
            assert!((2..=4).contains(&second), "{second}");
            let fourth = config.delay(4, far, &mut random).as_secs();
            assert!((2..=16).contains(&fourth), "{fourth}");
            // log2(120 / 2) + 1 = 6.9: the seventh retry and later draw up to `maxDelay`, never more.
            for attempt in [7, 8, 40, u32::MAX] {
                let late = config.delay(attempt, far, &mut random).as_secs();
                assert!((2..=120).contains(&late), "{attempt}: {late}");
            }
        }
        let spread: std::collections::BTreeSet<u64> =
            (0..200).map(|_| config.delay(u32::MAX, far, &mut random).as_secs()).collect();
        assert!(spread.len() > 20, "jitter draws from the whole range: {spread:?}");
        assert!(spread.iter().any(|d| *d > 64), "late delays reach past the last doubling: {spread:?}");
    }

    #[test]
    fn equal_min_and_max_delays_are_linear() {
        let config = WaiterConfig::new(20, 20);
        let mut random = fastrand::Rng::with_seed(1);
        for attempt in 1..50 {
            assert_eq!(config.delay(attempt, Duration::from_secs(100_000), &mut random), Duration::from_secs(20));
        }
    }

    #[test]
    fn the_last_delay_lands_on_the_deadline() {
        let config = WaiterConfig::new(2, 120);
        let mut random = fastrand::Rng::with_seed(3);
        // 2 s to wait leaves 3 s: more than `minDelay`, so an ordinary delay.
        assert_eq!(config.delay(1, Duration::from_secs(5), &mut random), Duration::from_secs(2));
        // It would leave exactly `minDelay` or less: wait out what remains, then poll a last time.
        assert_eq!(config.delay(1, Duration::from_secs(4), &mut random), Duration::from_secs(4));
        assert_eq!(config.delay(1, Duration::from_millis(1500), &mut random), Duration::from_millis(1500));
        for _ in 0..100 {
            let delay = config.delay(9, Duration::from_secs(30), &mut random);
            assert!(delay <= Duration::from_secs(30), "never past the deadline: {delay:?}");
        }
    }

    #[test]
    fn odd_configurations_are_made_sane() {
        let config = WaiterConfig::new(0, 0);
        assert_eq!((config.min_delay(), config.max_delay()), (Duration::from_secs(1), Duration::from_secs(1)));
        let config = WaiterConfig::new(30, 10);
        assert_eq!((config.min_delay(), config.max_delay()), (Duration::from_secs(30), Duration::from_secs(30)));
    }

    type Poll = std::future::Ready<Result<&'static str, &'static str>>;
    type PollTimes = Arc<Mutex<Vec<Instant>>>;

    /// A poll function answering from a script, recording when each poll happened.
    fn scripted(answers: Vec<Result<&'static str, &'static str>>) -> (impl FnMut() -> Poll, PollTimes) {
        let times = Arc::new(Mutex::new(Vec::new()));
        let seen = times.clone();
        let mut answers = answers.into_iter();
        let last = Ok("pending");
        let poll = move || {
            seen.lock().unwrap().push(Instant::now());
            std::future::ready(answers.next().unwrap_or(last))
        };
        (poll, times)
    }

    fn by_status(result: &Result<&'static str, &'static str>) -> Option<(AcceptorState, usize)> {
        match result {
            Ok("done") => Some((AcceptorState::Success, 0)),
            Ok("broken") => Some((AcceptorState::Failure, 1)),
            Err("NotFound") => Some((AcceptorState::Retry, 2)),
            Err("Gone") => Some((AcceptorState::Success, 3)),
            _ => None,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn success_on_the_first_poll_does_not_sleep() {
        let (poll, times) = scripted(vec![Ok("done")]);
        let start = Instant::now();
        let done = wait(WaiterConfig::new(2, 120), Duration::from_secs(60), poll, by_status).await.unwrap();
        assert_eq!(done.attempts(), 1);
        assert_eq!(done.as_result(), Ok(&"done"));
        assert_eq!(times.lock().unwrap().len(), 1);
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn retries_until_success_with_growing_delays() {
        let (poll, times) = scripted(vec![Ok("pending"), Err("NotFound"), Ok("pending"), Ok("pending"), Ok("done")]);
        let done = wait(WaiterConfig::new(2, 120), Duration::from_secs(600), poll, by_status).await.unwrap();
        assert_eq!(done.attempts(), 5);
        let times = times.lock().unwrap();
        let gaps: Vec<u64> = times.windows(2).map(|w| (w[1] - w[0]).as_secs()).collect();
        assert_eq!(gaps[0], 2, "the first retry waits minDelay");
        assert!((2..=4).contains(&gaps[1]), "{gaps:?}");
        assert!((2..=8).contains(&gaps[2]), "{gaps:?}");
        assert!((2..=16).contains(&gaps[3]), "{gaps:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_success_acceptor_can_match_an_error() {
        let (poll, _) = scripted(vec![Ok("pending"), Err("Gone")]);
        let done = wait(WaiterConfig::new(2, 120), Duration::from_secs(60), poll, by_status).await.unwrap();
        assert_eq!(done.into_result(), Err("Gone"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_state_ends_the_wait_with_the_response() {
        let (poll, _) = scripted(vec![Ok("pending"), Ok("broken")]);
        let error = wait(WaiterConfig::new(2, 120), Duration::from_secs(60), poll, by_status).await.unwrap_err();
        assert!(
            matches!(error, WaiterError::FailureState { response: Ok("broken"), acceptor: 1, attempts: 2 }),
            "{error:?}"
        );
        assert!(error.to_string().contains("failure state"), "{error}");
    }

    #[tokio::test(start_paused = true)]
    async fn an_error_no_acceptor_matches_ends_the_wait() {
        let (poll, times) = scripted(vec![Err("NotFound"), Err("AccessDenied")]);
        let error = wait(WaiterConfig::new(2, 120), Duration::from_secs(60), poll, by_status).await.unwrap_err();
        assert!(matches!(error, WaiterError::OperationFailed { error: "AccessDenied", attempts: 2 }), "{error:?}");
        assert!(error.to_string().contains("AccessDenied"), "{error}");
        assert_eq!(times.lock().unwrap().len(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_ends_the_wait_with_a_last_poll_on_it() {
        let (poll, times) = scripted(vec![]);
        let start = Instant::now();
        let max_wait = Duration::from_secs(300);
        let error = wait(WaiterConfig::new(2, 120), max_wait, poll, by_status).await.unwrap_err();
        let WaiterError::ExceededMaxWait { elapsed, attempts, .. } = error else { panic!("{error:?}") };
        assert_eq!(elapsed, max_wait);
        assert_eq!(start.elapsed(), max_wait, "no sleep goes past the deadline");
        let times = times.lock().unwrap();
        assert_eq!(attempts as usize, times.len());
        assert_eq!(*times.last().unwrap() - start, max_wait, "the last poll happens at the deadline");
        // Doubling from 2 s with jitter, capped at 120 s: more polls than 300 / 120, fewer than 300 / 2.
        assert!((4..150).contains(&times.len()), "{}", times.len());
        for gap in times.windows(2).map(|w| w[1] - w[0]) {
            assert!(gap <= Duration::from_secs(120), "{gap:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_deadline_shorter_than_min_delay_still_polls_once_more_at_it() {
        let (poll, times) = scripted(vec![]);
        let error = wait(WaiterConfig::new(20, 120), Duration::from_secs(5), poll, by_status).await.unwrap_err();
        assert!(matches!(error, WaiterError::ExceededMaxWait { attempts: 2, .. }), "{error:?}");
        let times = times.lock().unwrap();
        assert_eq!(times[1] - times[0], Duration::from_secs(5));
    }

    #[cfg(feature = "cli")]
    #[test]
    fn the_cli_words_each_ending_as_the_aws_cli_does() {
        use crate::cli_app::Failure;
        use crate::error::{ConfigError, ErrorMetadata, SdkError, ServiceError};
        type Error = WaiterError<(), SdkError<String>>;
        let reasons = ["", "For expression \"Status\" we matched expected path: \"FAILED\""];
        let failure = |error: Error| cli_failure("TableExists", error, &reasons);
        let timeout =
            Error::ExceededMaxWait { max_wait: Duration::from_secs(30), elapsed: Duration::from_secs(30), attempts: 4 };
        let Failure::Waiter(text) = failure(timeout) else { panic!("not a waiter failure") };
        assert!(text.starts_with("Waiter TableExists failed: Max attempts exceeded ("), "{text}");
        let failed = failure(Error::FailureState { response: Ok(()), acceptor: 1, attempts: 2 });
        assert_eq!(failed.exit_code(), 255);
        assert_eq!(
            failed.to_string(),
            "Waiter TableExists failed: Waiter encountered a terminal failure state: For expression \"Status\" we matched expected path: \"FAILED\""
        );
        let meta = ErrorMetadata::new(Some("AccessDeniedException".into()), Some("no".into()), Some(400), None);
        let service = SdkError::Service(ServiceError::new("denied".to_string(), meta));
        let unexpected = failure(Error::OperationFailed { error: service, attempts: 1 });
        assert_eq!(unexpected.to_string(), "Waiter TableExists failed: An error occurred (AccessDeniedException): no");
        assert_eq!(unexpected.exit_code(), 255);
        // No credentials is a configuration problem, as for any command.
        let config = failure(Error::OperationFailed {
            error: SdkError::Config(ConfigError::new("no credentials")),
            attempts: 1,
        });
        assert_eq!(config, Failure::config(ConfigError::new("no credentials")));
        assert_eq!(config.exit_code(), 253);
    }

    #[tokio::test(start_paused = true)]
    async fn a_zero_max_wait_polls_once() {
        let (poll, _) = scripted(vec![Ok("pending")]);
        let error = wait(WaiterConfig::new(2, 120), Duration::ZERO, poll, by_status).await.unwrap_err();
        assert!(matches!(error, WaiterError::ExceededMaxWait { attempts: 1, .. }), "{error:?}");
        assert!(error.to_string().contains("gave up"), "{error}");
    }
}
