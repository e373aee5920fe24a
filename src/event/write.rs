//! The JSON text of the event module's JS objects (a parsed event, an error's `detail`),
//! written straight into one `String` instead of built as a [`Value`] tree and stringified:
//! `parseEvent`'s slow path sends these to JS as text, and a tree costs an allocation and an
//! insert per member plus its drop. Each object is a list of members written by the few
//! non-inlined methods of [`Members`], in the order JS sees them: exactly what
//! [`json::stringify`] of the `to_value` of the same object gives (the native API's form;
//! `tests/event_text.rs` keeps the two equal).

use super::validate::Issue;
use crate::json::{self, Value};

/// The members of one JSON object being written to `out`: `{` at [`Members::open`], `}` at
/// [`Members::close`].
pub(crate) struct Members<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Members<'a> {
    /// Start an object.
    pub(crate) fn open(out: &'a mut String) -> Members<'a> {
        out.push('{');
        Members { out, first: true }
    }

    /// `"key":` (the keys are plain identifiers: nothing to escape), ready for the value.
    #[inline(never)]
    pub(crate) fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    /// A string member (`null` for `None`).
    #[inline(never)]
    pub(crate) fn text(&mut self, key: &str, text: Option<&str>) {
        let out = self.key(key);
        match text {
            Some(s) => json::write_string(out, s),
            None => out.push_str("null"),
        }
    }

    /// A boolean member.
    pub(crate) fn bool(&mut self, key: &str, b: bool) {
        self.key(key).push_str(if b { "true" } else { "false" });
    }

    /// A number member (a count or position).
    pub(crate) fn count(&mut self, key: &str, n: usize) {
        json::write_number(self.key(key), n as f64);
    }

    /// A member holding any value, as `JSON.stringify` writes it.
    pub(crate) fn value(&mut self, key: &str, value: &Value) {
        json::write_json(self.key(key), value, "");
    }

    /// An array of issues `[{path, code, message}, ...]`.
    #[inline(never)]
    pub(crate) fn issues(&mut self, key: &str, issues: &[Issue]) {
        let out = self.key(key);
        out.push('[');
        for (i, issue) in issues.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let mut o = Members::open(out);
            o.text("path", Some(&issue.path));
            o.text("code", Some(issue.code.as_str()));
            o.text("message", Some(&issue.message));
            o.close();
        }
        out.push(']');
    }

    /// A member whose value is an object written by `write`.
    pub(crate) fn object(&mut self, key: &str, write: impl FnOnce(&mut Members<'_>)) {
        let mut o = Members::open(self.key(key));
        write(&mut o);
        o.close();
    }

    /// End the object.
    pub(crate) fn close(self) {
        self.out.push('}');
    }
}
