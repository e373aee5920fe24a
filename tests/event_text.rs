//! The event module writes the JSON text that `parseEvent`'s wasm call returns (an event, its
//! `{known, shape, warnings}`, an error's `detail`) straight, without a value tree: that text
//! must be exactly `JSON.stringify` of the native `to_value`s, for every kind of body (valid,
//! invalid, not JSON, too deep, duplicate keys, legacy flat, replay window, non-ASCII, escapes).

use calhook::event::parse::meta_json;
use calhook::event::parse_event;
use calhook::event::validate::issues_to_value;
use calhook::json::{self, Object, Value};
mod common;

/// Checks one body under every option set; returns (accepted, rejected) counts.
fn check(body: &[u8]) -> (usize, usize) {
    let (mut ok, mut err) = (0, 0);
    for options in common::parse_option_sets() {
        match parse_event(body, &options) {
            Ok(event) => {
                ok += 1;
                let value = event.to_value();
                assert_eq!(event.to_json(), json::stringify(&value));
                let mut wrapped = Object::new();
                wrapped.insert("event", value);
                assert_eq!(
                    event.wrapped_json(),
                    json::stringify(&Value::object(wrapped))
                );
                let mut meta = Object::new();
                meta.insert("known", Value::Bool(event.known));
                meta.insert("shape", Value::string(event.shape.as_str()));
                meta.insert("warnings", issues_to_value(&event.warnings));
                assert_eq!(
                    meta_json(event.known, event.shape, &event.warnings),
                    json::stringify(&Value::object(meta))
                );
            }
            Err(e) => {
                err += 1;
                assert_eq!(
                    e.to_json(),
                    json::stringify(&e.to_value()),
                    "{}",
                    String::from_utf8_lossy(body)
                );
            }
        }
    }
    (ok, err)
}

#[test]
fn written_text_is_the_stringified_value() {
    let mut bodies: Vec<Vec<u8>> = common::event_fixtures()
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect();
    let envelope = |payload: &str| {
        format!(
            r#"{{"triggerEvent":"BOOKING_CREATED","createdAt":"2024-01-15T09:00:00.000Z","payload":{payload}}}"#
        )
    };
    for text in [
        envelope("{}"),
        envelope(r#"{"title":5,"attendees":[null,{"email":"nope"}],"startTime":"yesterday"}"#),
        envelope(r#"{"a":1,"a":2,"b\"~/":{"c":[1,1e400,-0]}}"#),
        envelope(r#"{"title":"é\u0001\"\\ \ud83d\ude00","x":"\ud800"}"#),
        envelope("null"),
        r#"{"triggerEvent":"booking_created","createdAt":"x","payload":{}}"#.to_string(),
        r#"{"triggerEvent":7,"payload":[]}"#.to_string(),
        r#"{"triggerEvent":"MEETING_ENDED","uid":"u","createdAt":"2024-01-15T09:00:00.000Z"}"#
            .to_string(),
        r#"{"triggerEvent":"FUTURE_TRIGGER","createdAt":"2024-01-15T09:00:00Z","payload":{},"x":1}"#
            .to_string(),
        "false".to_string(),
        "[1,2]".to_string(),
        String::new(),
        "a=1&b=2".to_string(),
        "{\"é\": x}".to_string(),
        "{\"a\":1,\"a\":2,\n\"😀\":1,\"😀\":2}".to_string(),
        format!("{}1{}", "[".repeat(600), "]".repeat(600)),
    ] {
        bodies.push(text.into_bytes());
    }
    bodies.push(b"{\"triggerEvent\":\"\xff\"}".to_vec());
    let (mut ok, mut err) = (0, 0);
    for body in &bodies {
        let (o, e) = check(body);
        ok += o;
        err += e;
    }
    // Both kinds of result were compared, many times.
    assert!(ok > 50 && err > 100, "{ok} accepted, {err} rejected");
}
