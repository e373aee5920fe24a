//! Realistic sample events, generated from the examples in the shape description.

use super::error::EventError;
use super::shape::{Field, Ty};
use super::trigger::{trigger, TriggerInfo};
use crate::json::{parse_f64, Object, Value};

/// `createdAt` of every sample (fixed, so samples are reproducible).
pub const SAMPLE_CREATED_AT: &str = "2024-01-15T09:00:00.000Z";

/// A complete sample event body `{triggerEvent, createdAt, payload}` for `trigger`, as the
/// sender would post it without a custom template, with `overrides` deep-merged on top
/// (objects merge key by key; anything else replaces), e.g.
/// `{"payload": {"title": "Intro call"}}`.
///
/// The payload holds every required field and every optional field with an example.
/// Fails with `UNKNOWN_TRIGGER` for a name not in [`super::TRIGGERS`].
///
/// Needs the `tools` cargo feature (on by default): without it every field's description and
/// example is empty, so the samples hold placeholder values instead of the examples.
pub fn sample_payload(trigger_name: &str, overrides: Option<&Value>) -> Result<Value, EventError> {
    let info = trigger(trigger_name).ok_or_else(|| EventError::unknown_trigger(trigger_name))?;
    let mut body = Object::new();
    body.insert("triggerEvent", Value::string(info.name));
    body.insert("createdAt", Value::string(SAMPLE_CREATED_AT));
    body.insert("payload", sample_data(info));
    let body = Value::object(body);
    Ok(match overrides {
        Some(over) => merge(&body, over),
        None => body,
    })
}

/// The sample `payload` object of a trigger.
///
/// Needs the `tools` cargo feature (on by default): without it every field's description and
/// example is empty, so the samples hold placeholder values instead of the examples.
pub fn sample_data(info: &TriggerInfo) -> Value {
    let mut payload = Object::new();
    for field in info.shape.fields() {
        if let Some(v) = sample_field(field) {
            payload.insert(field.name, v);
        }
    }
    if info.name == "PING" {
        // The ping test sends a fixed organizer and attendee.
        let mut organizer = Object::new();
        organizer.insert("name", Value::string("Cal"));
        organizer.insert("email", Value::string("no-reply@cal.com"));
        organizer.insert("timeZone", Value::string("Europe/London"));
        payload.insert("organizer", Value::object(organizer));
        let mut attendee = Object::new();
        attendee.insert("name", Value::string("John Doe"));
        attendee.insert("email", Value::string("jdoe@example.com"));
        attendee.insert("timeZone", Value::string("Europe/London"));
        payload.insert("attendees", Value::array(vec![Value::object(attendee)]));
    }
    Value::object(payload)
}

/// A payload of `info` with **every** field of the shape present (optional ones included),
/// for documentation and exhaustive tests.
///
/// Needs the `tools` cargo feature (on by default): without it every field's description and
/// example is empty, so the samples hold placeholder values instead of the examples.
pub fn sample_data_full(info: &TriggerInfo) -> Value {
    let mut payload = Object::new();
    for field in info.shape.fields() {
        payload.insert(field.name, gen(&field.ty, field.example, true));
    }
    Value::object(payload)
}

/// The sample value of a field, or `None` when samples leave it out (optional, no example).
///
/// Needs the `tools` cargo feature (on by default): without it every field's description and
/// example is empty, so optional fields have no sample and required ones a placeholder.
pub fn sample_field(field: &Field) -> Option<Value> {
    sample_field_with(field, false)
}

fn sample_field_with(field: &Field, all: bool) -> Option<Value> {
    (all || field.required || !field.example.is_empty()).then(|| gen(&field.ty, field.example, all))
}

/// A sample value of `ty` using `example` as described on [`Field::example`].
pub fn sample_value(ty: &Ty, example: &str) -> Value {
    gen(ty, example, false)
}

fn gen(ty: &Ty, example: &str, all: bool) -> Value {
    match ty {
        Ty::Named(_, inner) => gen(inner, example, all),
        Ty::Either(alt) => gen(&alt.sender, example, all),
        Ty::Nullable(inner) => {
            if example == "null" && !all {
                Value::Null
            } else {
                gen(inner, example, all)
            }
        }
        Ty::String => Value::string(non_empty(example, "example")),
        Ty::DateTime => Value::string(non_empty(example, "2024-01-15T10:00:00.000Z")),
        Ty::Email => Value::string(non_empty(example, "someone@example.com")),
        Ty::Url => Value::string(non_empty(example, "https://example.com/")),
        Ty::Enum(values) => {
            let v = if values.contains(&example) {
                example
            } else {
                values.first().copied().unwrap_or("")
            };
            Value::string(v)
        }
        Ty::Number => Value::Number(parse_f64(example).unwrap_or(0.0)),
        Ty::Integer => Value::Number(parse_f64(example).map_or(0.0, f64::trunc)),
        Ty::Bool => Value::Bool(example == "true"),
        Ty::Object(fields) => {
            let mut object = Object::new();
            for field in fields.iter() {
                if let Some(v) = sample_field_with(field, all) {
                    object.insert(field.name, v);
                }
            }
            Value::object(object)
        }
        Ty::Array(inner) => match inner.resolve() {
            Ty::Any => Value::array(Vec::new()),
            Ty::Object(_) | Ty::Map(_) | Ty::Array(_) => Value::array(vec![gen(inner, "", all)]),
            _ => Value::array(vec![gen(inner, example, all)]),
        },
        Ty::Map(inner) => {
            let mut object = Object::new();
            object.insert(non_empty(example, "key"), gen(inner, "", all));
            Value::object(object)
        }
        Ty::Any => match example {
            "" | "{}" => Value::object(Object::new()),
            "[]" => Value::array(Vec::new()),
            text => Value::string(text),
        },
    }
}

fn non_empty<'a>(s: &'a str, fallback: &'a str) -> &'a str {
    if s.is_empty() || s == "-" {
        fallback
    } else {
        s
    }
}

/// Deep merge: objects merge key by key (recursively), anything else in `over` replaces.
/// Recursion depth is bounded by the depth of `base` (a generated sample).
pub fn merge(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            let mut out = (**b).clone();
            for (key, value) in o.iter() {
                let merged = match b.get(key) {
                    Some(existing) => merge(existing, value),
                    None => value.clone(),
                };
                out.insert(key, merged);
            }
            Value::object(out)
        }
        _ => over.clone(),
    }
}
