//! The event domain's error type.

use super::received::UncheckedEvent;
use super::validate::{issues_to_value, Issue};
use super::write::Members;
use crate::json::{JsonError, Value};
use std::fmt;

/// Stable machine-readable error codes of the event domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventErrorCode {
    /// The body is not JSON (syntax error or invalid UTF-8); see [`EventError::hint`].
    NotJson,
    /// The body is larger than the configured limit.
    BodyTooLarge,
    /// The body nests arrays/objects deeper than the parser allows.
    TooDeep,
    /// JSON, but not a valid event: see [`EventError::issues`].
    InvalidPayload,
    /// `createdAt` is older than the replay window allows.
    StaleEvent,
    /// `createdAt` is further in the future than the allowed clock skew.
    FutureEvent,
    /// A trigger name that is not known (for functions that need a known trigger).
    UnknownTrigger,
}

impl EventErrorCode {
    /// The code string: `NOT_JSON`, `INVALID_PAYLOAD`, ...
    pub fn as_str(&self) -> &'static str {
        match self {
            EventErrorCode::NotJson => "NOT_JSON",
            EventErrorCode::BodyTooLarge => "BODY_TOO_LARGE",
            EventErrorCode::TooDeep => "TOO_DEEP",
            EventErrorCode::InvalidPayload => "INVALID_PAYLOAD",
            EventErrorCode::StaleEvent => "STALE_EVENT",
            EventErrorCode::FutureEvent => "FUTURE_EVENT",
            EventErrorCode::UnknownTrigger => "UNKNOWN_TRIGGER",
        }
    }
}

impl fmt::Display for EventErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error of the event domain, with structured details.
#[derive(Clone, Debug, PartialEq)]
pub struct EventError {
    /// Machine-readable kind.
    pub code: EventErrorCode,
    /// Human-readable explanation.
    pub message: String,
    /// What probably happened and what to do (e.g. a form-urlencoded template body).
    pub hint: Option<String>,
    /// Every problem found, for `INVALID_PAYLOAD`.
    pub issues: Vec<Issue>,
    /// The parser's error, for `NOT_JSON` / `BODY_TOO_LARGE` / `TOO_DEEP`; its `offset` and
    /// `column` are converted to UTF-16 code units for JS by [`EventError::to_value`].
    pub json: Option<Box<JsonError>>,
    /// For `INVALID_PAYLOAD`: everything that was received, with every issue, so that the
    /// receiver can keep a verified event that does not match its trigger's shape.
    pub event: Option<Box<UncheckedEvent>>,
    /// UTF-16 `(offset, column)` of [`EventError::json`]'s position (set by the parser, which
    /// holds the body; JS indexes strings in UTF-16 code units).
    pub json_utf16: Option<(usize, usize)>,
}

impl EventError {
    /// What kind of failure this is (`.as_str()` gives the stable string).
    pub fn code(&self) -> EventErrorCode {
        self.code
    }

    /// An error without details.
    pub fn new(code: EventErrorCode, message: impl Into<String>) -> EventError {
        EventError {
            code,
            message: message.into(),
            hint: None,
            issues: Vec::new(),
            json: None,
            event: None,
            json_utf16: None,
        }
    }

    /// `UNKNOWN_TRIGGER` for `name`.
    pub fn unknown_trigger(name: &str) -> EventError {
        let shown: String = name.chars().take(80).collect();
        let mut e = EventError::new(
            EventErrorCode::UnknownTrigger,
            format!("Unknown trigger \"{shown}\"."),
        );
        if let Some(t) = super::trigger(&name.to_ascii_uppercase()) {
            e.hint = Some(format!("Trigger names are upper case: \"{}\".", t.name));
        }
        e
    }

    /// The details as a JS object `{code, message, hint?, issues?, json?, event?}` (the `detail`
    /// of the thrown JS error). `json.offset` and `json.column` are in UTF-16 code units, as JS
    /// indexes strings.
    pub fn to_value(&self) -> Value {
        // Absent parts are left out: `null` marks them, and the object keeps the others in order.
        let mut entries = [
            ("code", super::text(self.code.as_str())),
            ("message", super::text(&self.message)),
            (
                "hint",
                self.hint.as_deref().map_or(Value::Null, super::text),
            ),
            ("issues", Value::Null),
            ("json", Value::Null),
            ("event", Value::Null),
        ];
        if !self.issues.is_empty() {
            entries[3].1 = issues_to_value(&self.issues);
        }
        if let Some(j) = &self.json {
            let (offset, column) = self.json_utf16.unwrap_or((j.offset, j.column));
            entries[4].1 = super::object_of(&mut [
                ("code", super::text(j.code.as_str())),
                ("message", super::text(&j.message)),
                ("offset", Value::Number(offset as f64)),
                ("line", Value::Number(j.line as f64)),
                ("column", Value::Number(column as f64)),
            ]);
        }
        if let Some(event) = &self.event {
            entries[5].1 = event.to_value();
        }
        super::object_of_present(&mut entries)
    }

    /// `JSON.stringify` of [`EventError::to_value`], written straight (no value tree): the
    /// `detail` of the thrown JS error.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        let mut o = Members::open(&mut out);
        o.text("code", Some(self.code.as_str()));
        o.text("message", Some(&self.message));
        if let Some(hint) = &self.hint {
            o.text("hint", Some(hint));
        }
        if !self.issues.is_empty() {
            o.issues("issues", &self.issues);
        }
        if let Some(j) = &self.json {
            let (offset, column) = self.json_utf16.unwrap_or((j.offset, j.column));
            o.object("json", |o| {
                o.text("code", Some(j.code.as_str()));
                o.text("message", Some(&j.message));
                o.count("offset", offset);
                o.count("line", j.line);
                o.count("column", column);
            });
        }
        if let Some(event) = &self.event {
            event.write_json(o.key("event"));
        }
        o.close();
        out
    }
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for EventError {
    /// The JSON parser's error, for `NOT_JSON` / `BODY_TOO_LARGE` / `TOO_DEEP`.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.json
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
