//! `Debug` output for webhook values that may hold the webhook secret: the `secret` field is
//! replaced by `"[redacted]"`, so logging a validation result or a request never leaks it.

use crate::json::{self, Value};

/// What a redacted secret prints as.
pub(crate) const REDACTED: &str = "[redacted]";

/// `value` with a top-level `secret` field (of any type) replaced by [`REDACTED`].
pub(crate) fn without_secret(value: &Value) -> Value {
    match value.as_object() {
        Some(object) if object.contains_key("secret") => {
            let mut copy = object.clone();
            copy.insert("secret", Value::string(REDACTED));
            Value::object(copy)
        }
        _ => value.clone(),
    }
}

/// JSON text with its `secret` redacted; text that is not JSON prints as its length only,
/// since nothing can be said about what it holds.
pub(crate) fn json_text_without_secret(text: &str) -> String {
    match json::parse(text) {
        Ok(value) => json::stringify(&without_secret(&value)),
        Err(_) => format!("[{} bytes, not JSON]", text.len()),
    }
}
