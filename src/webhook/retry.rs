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
/// is due: 0 failures, more than 5 (the webhook is marked failed), or a non-finite time.
pub fn next_retry_at(failed_attempts: u32, last_attempt_at_ms: f64) -> Option<f64> {
    if !last_attempt_at_ms.is_finite() {
        return None;
    }
    let index = usize::try_from(failed_attempts.checked_sub(1)?).ok()?;
    RETRY_SCHEDULE_MS
        .get(index)
        .map(|delay| last_attempt_at_ms + delay)
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
}
