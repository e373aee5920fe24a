//! The retry schedule **the API reference promises**: 1 min, 5 min, 30 min, 2 h, 24 h after a
//! failed delivery, then the webhook is marked failed.
//!
//! This is *not* what the current Cal.com sender does: its default path sends once, and queued
//! paths retry up to 3 times only when the send throws (network errors), never on HTTP 4xx/5xx.
//! Use this to reason about the documented contract (or to emulate it); do not rely on retries
//! for delivery, and keep receivers idempotent either way (see [`crate::event::event_key`]).

/// Delay before each retry, in milliseconds: 1 min, 5 min, 30 min, 2 h, 24 h.
pub const RETRY_SCHEDULE_MS: [f64; 5] =
    [60_000.0, 300_000.0, 1_800_000.0, 7_200_000.0, 86_400_000.0];

/// When the next retry is due under the reference's schedule, in epoch milliseconds:
/// `last_attempt_at_ms + RETRY_SCHEDULE_MS[failed_attempts - 1]`.
///
/// `failed_attempts` counts failed deliveries so far, including the first. `None` when no retry
/// is due: 0 failures, more than 5 (the webhook is marked failed), or a time that
/// [`try_next_retry_at`] rejects.
pub fn next_retry_at(failed_attempts: u32, last_attempt_at_ms: f64) -> Option<f64> {
    try_next_retry_at(f64::from(failed_attempts), last_attempt_at_ms)
        .ok()
        .flatten()
}

/// The latest time a JS `Date` can hold, in epoch milliseconds (±8.64e15).
pub const MAX_TIME_MS: f64 = 8.64e15;

/// Why [`try_next_retry_at`] refused its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryError {
    /// `failed_attempts` is negative, fractional or not a number.
    InvalidAttempts,
    /// The last attempt, or the retry time, is not a time a JS `Date` can hold.
    TimeOutOfRange,
}

impl RetryError {
    /// The stable code: `INVALID_ARGUMENT` or `OUT_OF_RANGE`.
    pub fn code(&self) -> &'static str {
        match self {
            RetryError::InvalidAttempts => "INVALID_ARGUMENT",
            RetryError::TimeOutOfRange => "OUT_OF_RANGE",
        }
    }

    /// What is wrong and what to pass instead.
    pub fn message(&self) -> &'static str {
        match self {
            RetryError::InvalidAttempts => {
                "failedAttempts must be a non-negative integer (the number of failed deliveries so far)."
            }
            RetryError::TimeOutOfRange => {
                "lastAttemptAt must be a valid time: a finite number of epoch milliseconds within \
                 ±8.64e15 (the range of a JS Date), whose retry time is in that range too."
            }
        }
    }
}

impl std::fmt::Display for RetryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for RetryError {}

/// [`next_retry_at`] for counts as JS passes them (any double), without wrapping: any integer
/// count above 5, however large (`2**32 + 1`, `1e300`, `Infinity`), means the webhook is marked
/// failed (`Ok(None)`), as does 0 (nothing failed yet). A negative, fractional or NaN count is
/// [`RetryError::InvalidAttempts`]; a last attempt or retry time outside a JS `Date`'s range is
/// [`RetryError::TimeOutOfRange`].
pub fn try_next_retry_at(
    failed_attempts: f64,
    last_attempt_at_ms: f64,
) -> Result<Option<f64>, RetryError> {
    let whole = failed_attempts == f64::INFINITY || failed_attempts.fract() == 0.0;
    if failed_attempts.is_nan() || failed_attempts < 0.0 || !whole {
        return Err(RetryError::InvalidAttempts);
    }
    if !last_attempt_at_ms.is_finite() || last_attempt_at_ms.abs() > MAX_TIME_MS {
        return Err(RetryError::TimeOutOfRange);
    }
    // Compared as doubles: no integer conversion can wrap.
    let Some(delay) = (1..=RETRY_SCHEDULE_MS.len())
        .find(|&n| n as f64 == failed_attempts)
        .and_then(|n| RETRY_SCHEDULE_MS.get(n - 1))
    else {
        return Ok(None);
    };
    let at = last_attempt_at_ms + delay;
    if at > MAX_TIME_MS {
        return Err(RetryError::TimeOutOfRange);
    }
    Ok(Some(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule() {
        assert_eq!(next_retry_at(0, 1000.0), None);
        assert_eq!(next_retry_at(1, 1000.0), Some(61_000.0));
        assert_eq!(next_retry_at(2, 0.0), Some(300_000.0));
        assert_eq!(next_retry_at(5, 0.0), Some(86_400_000.0));
        assert_eq!(next_retry_at(6, 0.0), None);
        assert_eq!(next_retry_at(u32::MAX, 0.0), None);
        assert_eq!(next_retry_at(1, f64::NAN), None);
    }

    #[test]
    fn huge_counts_never_wrap() {
        // 2**32 + 1 would be 1 after a u32 conversion: a retry a minute later.
        for n in [
            2f64.powi(32) + 1.0,
            2f64.powi(32),
            2f64.powi(53),
            1e300,
            f64::INFINITY,
            6.0,
        ] {
            assert_eq!(try_next_retry_at(n, 0.0), Ok(None), "{n}");
        }
        assert_eq!(try_next_retry_at(0.0, 0.0), Ok(None));
        assert_eq!(try_next_retry_at(-0.0, 0.0), Ok(None));
        assert_eq!(try_next_retry_at(5.0, 0.0), Ok(Some(86_400_000.0)));
    }

    #[test]
    fn bad_arguments_are_typed_errors() {
        for n in [-1.0, -1e300, 1.5, f64::NAN, f64::NEG_INFINITY] {
            assert_eq!(
                try_next_retry_at(n, 0.0),
                Err(RetryError::InvalidAttempts),
                "{n}"
            );
        }
        for t in [f64::NAN, f64::INFINITY, 8.64e15 + 1.0, -9e15] {
            assert_eq!(
                try_next_retry_at(1.0, t),
                Err(RetryError::TimeOutOfRange),
                "{t}"
            );
        }
        // The retry itself past the end of time.
        assert_eq!(
            try_next_retry_at(1.0, MAX_TIME_MS),
            Err(RetryError::TimeOutOfRange)
        );
        assert_eq!(
            try_next_retry_at(1.0, -MAX_TIME_MS),
            Ok(Some(-MAX_TIME_MS + 60_000.0))
        );
        assert_eq!(RetryError::TimeOutOfRange.code(), "OUT_OF_RANGE");
    }
}
