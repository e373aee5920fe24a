//! What was received, before or without validation: the body layout ([`EnvelopeShape`]) and
//! a verified body that is not a valid event ([`UncheckedEvent`]), which an `INVALID_PAYLOAD`
//! error carries so that no verified event is silently lost.

use super::validate::{issues_to_value, Issue};
use super::write::Members;
use crate::json::Value;

/// Which body layout the event arrived in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvelopeShape {
    /// `{triggerEvent, createdAt, payload}`.
    Envelope,
    /// `{triggerEvent, ...booking}` (older MEETING_STARTED / MEETING_ENDED); the payload is the
    /// body without `triggerEvent`.
    LegacyFlat,
    /// The envelope plus every form response copied to the root (older FORM_SUBMITTED path).
    FormRootCopy,
}

impl EnvelopeShape {
    /// `envelope`, `legacyFlat` or `formRootCopy`.
    pub fn as_str(&self) -> &'static str {
        match self {
            EnvelopeShape::Envelope => "envelope",
            EnvelopeShape::LegacyFlat => "legacyFlat",
            EnvelopeShape::FormRootCopy => "formRootCopy",
        }
    }
}

/// A verified body that is JSON but not a valid event (an `INVALID_PAYLOAD` error carries it
/// in [`EventError::event`](crate::event::EventError::event)): everything that was received, with every issue, so that a
/// receiver can store it and still answer 2xx. The receiving policy: unknown fields never
/// fail; a type mismatch on a known trigger is an issue, and the event comes with it.
#[derive(Clone, Debug)]
pub struct UncheckedEvent {
    /// `triggerEvent` when it is a string.
    pub trigger_event: Option<String>,
    /// `createdAt` when it is a string (maybe not a date-time).
    pub created_at: Option<String>,
    /// The payload as received: `payload` of an envelope (`null` when missing), the body
    /// without `triggerEvent` for the legacy flat shape, the body itself when it is not an
    /// object.
    pub payload: Value,
    /// Whether the trigger is in [`super::TRIGGERS`].
    pub known: bool,
    /// The body layout.
    pub shape: EnvelopeShape,
    /// Non-fatal findings.
    pub warnings: Vec<Issue>,
    /// Every problem (at most [`MAX_REPORTED_ISSUES`](super::parse::MAX_REPORTED_ISSUES)).
    pub issues: Vec<Issue>,
}

impl PartialEq for UncheckedEvent {
    /// Equal when every field is; payloads compare as their JSON text.
    fn eq(&self, other: &UncheckedEvent) -> bool {
        self.trigger_event == other.trigger_event
            && self.created_at == other.created_at
            && self.known == other.known
            && self.shape == other.shape
            && self.warnings == other.warnings
            && self.issues == other.issues
            && crate::json::stringify(&self.payload) == crate::json::stringify(&other.payload)
    }
}

impl UncheckedEvent {
    /// `{triggerEvent, createdAt, payload, known, shape, warnings, issues, valid: false}` for JS
    /// (`triggerEvent` / `createdAt` are `null` when missing or not strings).
    pub fn to_value(&self) -> Value {
        let text = |s: &Option<String>| s.as_deref().map_or(Value::Null, super::text);
        super::object_of(&mut [
            ("triggerEvent", text(&self.trigger_event)),
            ("createdAt", text(&self.created_at)),
            ("payload", self.payload.clone()),
            ("known", Value::Bool(self.known)),
            ("shape", super::text(self.shape.as_str())),
            ("warnings", issues_to_value(&self.warnings)),
            ("issues", issues_to_value(&self.issues)),
            ("valid", Value::Bool(false)),
        ])
    }

    /// `JSON.stringify` of [`UncheckedEvent::to_value`], written straight.
    pub(crate) fn write_json(&self, out: &mut String) {
        let mut o = Members::open(out);
        o.text("triggerEvent", self.trigger_event.as_deref());
        o.text("createdAt", self.created_at.as_deref());
        o.value("payload", &self.payload);
        o.bool("known", self.known);
        o.text("shape", Some(self.shape.as_str()));
        o.issues("warnings", &self.warnings);
        o.issues("issues", &self.issues);
        o.bool("valid", false);
        o.close();
    }
}
