//! Event parsing: `parse_event` with strict on and off and with a replay window, plus the
//! other entry points that take a user value (`ParseEventOptions::from_value`, `sample_payload`
//! overrides, `event_key`, `validate_event_value`, `template_variables`).
//!
//! Input: one flag byte, then the body. Flags: bit 0 = strict first; bits 1–2 pick `now_ms`
//! (none, the event's own createdAt, createdAt ± 10 min); bit 3 = no age/future limits;
//! bits 4–7 pick the trigger for `sample_payload`.
//!
//! Invariants:
//! - strict mode only adds issues: strict OK ⇒ non-strict OK with the same event;
//! - the replay window only rejects: OK with a window ⇒ OK without, and a non-legacy event is
//!   accepted when `now_ms` is its own `createdAt` (which must then be a parseable date);
//! - an `INVALID_PAYLOAD` error lists 1..=100 issues;
//! - a parsed event's `to_value` stringifies to JSON that parses back, and its key is 64 hex.
#![no_main]

use calhook::event::{
    self, event_key, parse::MAX_REPORTED_ISSUES, parse_event, sample_payload, shape::date_time_ms,
    EnvelopeShape, EventErrorCode, ParseEventOptions, TRIGGERS,
};
use calhook::json;
use libfuzzer_sys::fuzz_target;

fn summary(r: &Result<event::Event, event::EventError>) -> Result<String, String> {
    match r {
        Ok(e) => Ok(json::stringify(&e.to_value())),
        Err(e) => Err(e.code.as_str().to_string()),
    }
}

fn check_result(r: &Result<event::Event, event::EventError>) {
    match r {
        Ok(ev) => {
            let text = json::stringify(&ev.to_value());
            json::parse(&text).expect("event JSON parses back");
            let key = event_key(ev);
            assert!(key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()));
            let _ = ev.trigger();
        }
        Err(e) => {
            let detail = json::stringify(&e.to_value());
            json::parse(&detail).expect("error detail parses back");
            if e.code == EventErrorCode::InvalidPayload {
                assert!(
                    !e.issues.is_empty(),
                    "INVALID_PAYLOAD without issues: {e:?}"
                );
            }
            assert!(e.issues.len() <= MAX_REPORTED_ISSUES);
        }
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&flags, body)) = input.split_first() else {
        return;
    };
    let mut base = ParseEventOptions::default();
    if flags & 8 != 0 {
        base.max_age_ms = None;
        base.max_future_ms = None;
    }
    let strict = ParseEventOptions {
        strict: true,
        ..base.clone()
    };
    let lax = ParseEventOptions {
        strict: false,
        ..base.clone()
    };
    let order = if flags & 1 != 0 {
        [&strict, &lax]
    } else {
        [&lax, &strict]
    };
    let r0 = parse_event(body, order[0]);
    let r1 = parse_event(body, order[1]);
    check_result(&r0);
    check_result(&r1);
    let (rs, rl) = if flags & 1 != 0 {
        (&r0, &r1)
    } else {
        (&r1, &r0)
    };
    if let Ok(s) = rs {
        let l = rl.as_ref().expect("strict accepts, lax rejects");
        assert_eq!(
            s.to_value().get("payload").map(json::stringify),
            l.to_value().get("payload").map(json::stringify)
        );
        assert_eq!(s.trigger_event, l.trigger_event);
        assert_eq!(s.shape, l.shape);
    }

    // Replay window.
    if let Ok(ev) = rl {
        let created = date_time_ms(&ev.created_at);
        if ev.shape != EnvelopeShape::LegacyFlat {
            let created = created.unwrap_or_else(|| {
                panic!(
                    "accepted createdAt {:?} has no time: the replay window is skipped",
                    ev.created_at
                )
            });
            let now = match (flags >> 1) & 3 {
                0 => None,
                1 => Some(created),
                2 => Some(created + 600_000.0),
                _ => Some(created - 600_000.0),
            };
            let windowed = ParseEventOptions {
                now_ms: now,
                ..lax.clone()
            };
            let w = parse_event(body, &windowed);
            check_result(&w);
            if now == Some(created) {
                assert!(w.is_ok(), "rejected at its own createdAt: {w:?}");
            }
            if let Err(e) = &w {
                assert!(
                    matches!(
                        e.code,
                        EventErrorCode::StaleEvent | EventErrorCode::FutureEvent
                    ),
                    "window gave {e:?}"
                );
            }
            assert_eq!(summary(&parse_event(body, &lax)), summary(rl));
        }
    } else {
        // With a window, a body rejected without one stays rejected.
        let windowed = ParseEventOptions {
            now_ms: Some(1.7e12),
            ..lax.clone()
        };
        assert!(parse_event(body, &windowed).is_err());
    }

    // The other entry points that take the (parsed) body.
    if let Ok(value) = json::parse_bytes(body) {
        let _ = ParseEventOptions::from_value(&value);
        let _ = json::stringify(&event::validate_event_value(&value, flags & 1 != 0));
        let trigger = TRIGGERS[usize::from(flags >> 4) % TRIGGERS.len()].name;
        let merged = sample_payload(trigger, Some(&value)).expect("known trigger");
        json::parse(&json::stringify(&merged)).expect("merged sample parses back");
        let _ = event::event_from_value(&value, &[], &lax);
    }
    if let Ok(name) = std::str::from_utf8(body) {
        let _ = event::template_variables(name);
        let _ = event::json_schema(Some(name));
        let _ = sample_payload(name, None);
    }
});
