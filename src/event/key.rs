//! A stable idempotency key per event.
//!
//! `event_key` = lowercase hex SHA-256 of
//! `"calhook-event-key/v1\n" + triggerEvent + "\n" + subject + "\n" + createdAt`, where
//! `subject` identifies what the event is about: the booking `uid`, else `bookingUid`, else
//! `bookingId`/`id`, else the form `formId` + `responseId`, else the OOO entry's `uuid`/`id`,
//! else a SHA-256 of the payload's JSON text.
//!
//! Why these parts:
//! - **triggerEvent**: one booking produces many events (created, rescheduled, cancelled...).
//! - **subject**: several events of one trigger can carry the same `createdAt` millisecond
//!   (bulk cancellations, team events), so the booking/form/entry they concern separates them.
//! - **createdAt**: the sender stamps it once per send and a retry re-posts the same body, so
//!   retries (which the reference promises and receivers must tolerate) share the key, while a
//!   genuinely new event about the same booking (a second no-show update) gets a new one.
//! - **not the raw body**: the body depends on the webhook's template and on formatting; the key
//!   should name the event, not the bytes.
//! - **hashed**: a fixed-length, opaque key that is safe as a database key or log field and
//!   leaks no personal data (emails, names) from the payload.

use super::parse::Event;
use crate::json::{stringify, Value};
use crate::signature::sha256::Sha256;

/// The idempotency key of `event`: 64 lowercase hex digits (see the module docs).
pub fn event_key(event: &Event) -> String {
    event_key_of(&event.trigger_event, &event.created_at, &event.payload)
}

/// [`event_key`] of an event given by its parts (what the key reads of it), for a caller that
/// holds them without an [`Event`].
pub fn event_key_of(trigger_event: &str, created_at: &str, payload: &Value) -> String {
    let subject = subject(payload);
    sha256_hex(&[
        b"calhook-event-key/v1\n",
        trigger_event.as_bytes(),
        b"\n",
        subject.as_bytes(),
        b"\n",
        created_at.as_bytes(),
    ])
}

/// Lowercase hex SHA-256 of the concatenated `parts`: one copy of the hashing code for the key
/// and the payload fallback.
#[inline(never)]
fn sha256_hex(parts: &[&[u8]]) -> String {
    crate::signature::hex_lower(&Sha256::default().finish(&parts.concat()))
}

/// The payload keys that name the booking, in order of preference, with the subject's kind.
const BOOKING_KEYS: [(&str, &str); 4] = [
    ("uid", "uid:"),
    ("bookingUid", "uid:"),
    ("bookingId", "booking:"),
    ("id", "booking:"),
];

/// A string (non-empty unless `empty_ok`) or a number, as text.
fn scalar(value: Option<&Value>, empty_ok: bool) -> Option<String> {
    match value? {
        Value::String(s) if empty_ok || !s.is_empty() => Some(s.to_string()),
        Value::Number(n) => Some(crate::json::format_number(*n)),
        _ => None,
    }
}

fn subject(payload: &Value) -> String {
    let text = |key: &str| scalar(payload.get(key), false);
    for (key, kind) in BOOKING_KEYS {
        if let Some(id) = text(key) {
            return kind.to_string() + &id;
        }
    }
    if let Some(form) = text("formId") {
        return ["form:", &form, ":", &text("responseId").unwrap_or_default()].concat();
    }
    if let Some(entry) = payload.get("oooEntry") {
        let part = |k: &str| scalar(entry.get(k), true);
        if let Some(id) = part("uuid").or_else(|| part("id")) {
            return "ooo:".to_string() + &id;
        }
    }
    "payload:".to_string() + &sha256_hex(&[stringify(payload).as_bytes()])
}
