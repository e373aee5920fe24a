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
use sha2::{Digest, Sha256};

/// The idempotency key of `event`: 64 lowercase hex digits (see the module docs).
pub fn event_key(event: &Event) -> String {
    let subject = subject(&event.payload);
    let mut hasher = Sha256::new();
    hasher.update(b"calhook-event-key/v1\n");
    hasher.update(event.trigger_event.as_bytes());
    hasher.update(b"\n");
    hasher.update(subject.as_bytes());
    hasher.update(b"\n");
    hasher.update(event.created_at.as_bytes());
    hex::encode(hasher.finalize())
}

fn subject(payload: &Value) -> String {
    let text = |key: &str| -> Option<String> {
        match payload.get(key)? {
            Value::String(s) if !s.is_empty() => Some(s.to_string()),
            Value::Number(n) => Some(crate::json::format_number(*n)),
            _ => None,
        }
    };
    if let Some(uid) = text("uid") {
        return format!("uid:{uid}");
    }
    if let Some(uid) = text("bookingUid") {
        return format!("uid:{uid}");
    }
    if let Some(id) = text("bookingId").or_else(|| text("id")) {
        return format!("booking:{id}");
    }
    if let Some(form) = text("formId") {
        return format!("form:{form}:{}", text("responseId").unwrap_or_default());
    }
    if let Some(entry) = payload.get("oooEntry") {
        let part = |k: &str| match entry.get(k) {
            Some(Value::String(s)) => Some(s.to_string()),
            Some(Value::Number(n)) => Some(crate::json::format_number(*n)),
            _ => None,
        };
        if let Some(id) = part("uuid").or_else(|| part("id")) {
            return format!("ooo:{id}");
        }
    }
    format!(
        "payload:{}",
        hex::encode(Sha256::digest(stringify(payload).as_bytes()))
    )
}
