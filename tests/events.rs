//! Event model tests: realistic bodies (tests/events/*.json), samples, mutations generated from
//! the shape description, hostile input, the replay window, idempotency keys and the exports.

use calhook::event::sample::sample_data_full;
use calhook::event::{
    event_key, json_schema, parse_event, sample_payload, template_variables,
    typescript_declarations, validate_event, EnvelopeShape, EventErrorCode, IssueCode,
    ParseEventOptions, TriggerInfo, Ty, TRIGGERS,
};
use calhook::json::{self, Object, Value};
mod common;
use std::path::PathBuf;

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let out = common::event_fixtures();
    assert!(out.len() >= 35, "fixtures missing: {}", out.len());
    out
}

fn body_trigger(bytes: &[u8]) -> String {
    let v = json::parse_bytes(bytes).expect("fixture is JSON");
    v.get("triggerEvent")
        .and_then(Value::as_str)
        .expect("triggerEvent")
        .to_string()
}

fn codes(issues: &[calhook::event::Issue]) -> Vec<(String, &'static str)> {
    issues
        .iter()
        .map(|i| (i.path.clone(), i.code.as_str()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Realistic bodies
// ---------------------------------------------------------------------------------------------

#[test]
fn every_fixture_parses_with_the_expected_shape() {
    for (name, bytes) in fixtures() {
        let event = parse_event(&bytes, &ParseEventOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e} {:?}", e.issues));
        assert_eq!(event.trigger_event, body_trigger(&bytes), "{name}");
        let expected_shape = if name.contains("legacy_flat") {
            EnvelopeShape::LegacyFlat
        } else if name.contains("root_copy") {
            EnvelopeShape::FormRootCopy
        } else {
            EnvelopeShape::Envelope
        };
        assert_eq!(event.shape, expected_shape, "{name}");
        assert_eq!(event.known, name != "unknown_future_trigger", "{name}");
        assert!(event.payload.as_object().is_some(), "{name}");
        assert!(event.warnings.is_empty(), "{name}");
        // Strict mode accepts every real body of a known trigger too.
        let strict = ParseEventOptions {
            strict: true,
            ..ParseEventOptions::default()
        };
        match parse_event(&bytes, &strict) {
            Ok(_) => assert!(event.known, "{name}"),
            Err(e) => {
                assert!(!event.known, "{name}: {e}");
                assert_eq!(
                    codes(&e.issues),
                    [("triggerEvent".to_string(), "UNKNOWN_TRIGGER")]
                );
            }
        }
    }
}

#[test]
fn every_trigger_has_a_realistic_fixture() {
    let triggers: Vec<String> = fixtures().iter().map(|(_, b)| body_trigger(b)).collect();
    for info in TRIGGERS {
        assert!(
            triggers.iter().any(|t| t == info.name),
            "no fixture for {}",
            info.name
        );
    }
}

#[test]
fn legacy_flat_meeting_body_is_normalised() {
    let bytes = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/events/meeting_started_legacy_flat.json"),
    )
    .expect("fixture");
    let event = parse_event(&bytes, &ParseEventOptions::default()).expect("parses");
    assert_eq!(event.created_at, "2025-03-10T14:22:05.000Z"); // the booking's own
    assert!(event.payload.get("triggerEvent").is_none());
    assert_eq!(
        event.payload.get("uid").and_then(Value::as_str),
        Some("kz8Q3hGvJq1tJm9mG7xYx1")
    );
    // The booking's createdAt is days old: the replay window does not apply to this shape.
    let opts = ParseEventOptions {
        now_ms: Some(1.9e12),
        ..ParseEventOptions::default()
    };
    assert!(parse_event(&bytes, &opts).is_ok());
    // A flat body for a booking trigger is not accepted.
    let flat =
        br#"{"triggerEvent":"BOOKING_CREATED","createdAt":"2025-03-10T14:22:05.000Z","uid":"x"}"#;
    let err = parse_event(flat, &ParseEventOptions::default()).expect_err("needs payload");
    assert_eq!(codes(&err.issues), [("payload".to_string(), "REQUIRED")]);
}

#[test]
fn event_to_value_uses_camel_case() {
    let bytes = json::stringify(&sample_payload("BOOKING_CREATED", None).expect("known"));
    let event = parse_event(bytes.as_bytes(), &ParseEventOptions::default()).expect("parses");
    let v = event.to_value();
    let keys: Vec<&str> = v.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "triggerEvent",
            "createdAt",
            "payload",
            "known",
            "shape",
            "warnings",
            "valid"
        ]
    );
    assert_eq!(v.get("shape").and_then(Value::as_str), Some("envelope"));
}

// ---------------------------------------------------------------------------------------------
// Samples
// ---------------------------------------------------------------------------------------------

#[test]
fn every_sample_validates_strictly_and_round_trips() {
    for info in TRIGGERS {
        let sample = sample_payload(info.name, None).expect("known trigger");
        let (found, issues) = validate_event(&sample, true);
        assert_eq!(found.map(|t| t.name), Some(info.name));
        assert!(issues.is_empty(), "{}: {issues:?}", info.name);
        let text = json::stringify(&sample);
        let event = parse_event(
            text.as_bytes(),
            &ParseEventOptions {
                strict: true,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{}: {e}", info.name));
        assert_eq!(event.trigger_event, info.name);
        // The full sample (every optional field present) validates too.
        let mut full = Object::new();
        full.insert("triggerEvent", Value::string(info.name));
        full.insert("createdAt", Value::string("2024-01-15T09:00:00.000Z"));
        full.insert("payload", sample_data_full(info));
        let (_, issues) = validate_event(&Value::object(full), true);
        assert!(issues.is_empty(), "{} full: {issues:?}", info.name);
    }
}

#[test]
fn samples_are_realistic_and_overridable() {
    let s = sample_payload("BOOKING_CANCELLED", None).expect("known");
    let p = s.get("payload").expect("payload");
    assert_eq!(p.get("status").and_then(Value::as_str), Some("CANCELLED"));
    assert!(p
        .get("cancellationReason")
        .and_then(Value::as_str)
        .is_some());
    let attendee = p
        .get("attendees")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .expect("one attendee");
    assert!(attendee
        .get("email")
        .and_then(Value::as_str)
        .is_some_and(|e| e.contains('@')));

    let ping = sample_payload("PING", None).expect("known");
    let org = ping
        .get("payload")
        .and_then(|p| p.get("organizer"))
        .expect("organizer");
    assert_eq!(
        org.get("email").and_then(Value::as_str),
        Some("no-reply@cal.com")
    );
    assert_eq!(
        ping.get("payload")
            .and_then(|p| p.get("type"))
            .and_then(Value::as_str),
        Some("Test")
    );

    let over = json::parse(r#"{"createdAt":"2025-01-01T00:00:00.000Z","payload":{"title":"Intro","organizer":{"name":"Ann"}}}"#).expect("json");
    let s = sample_payload("BOOKING_CREATED", Some(&over)).expect("known");
    assert_eq!(
        s.get("createdAt").and_then(Value::as_str),
        Some("2025-01-01T00:00:00.000Z")
    );
    let p = s.get("payload").expect("payload");
    assert_eq!(p.get("title").and_then(Value::as_str), Some("Intro"));
    let org = p.get("organizer").expect("organizer");
    assert_eq!(org.get("name").and_then(Value::as_str), Some("Ann"));
    assert_eq!(
        org.get("email").and_then(Value::as_str),
        Some("jane@company.com"),
        "merge keeps siblings"
    );

    let err = sample_payload("booking_created", None).expect_err("unknown");
    assert_eq!(err.code, EventErrorCode::UnknownTrigger);
    assert!(err
        .hint
        .as_deref()
        .is_some_and(|h| h.contains("BOOKING_CREATED")));
}

// ---------------------------------------------------------------------------------------------
// Mutations generated from the shape description
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

/// A field location in a full sample: its issue path, its pointer, and its type.
struct Location {
    path: String,
    pointer: Vec<Seg>,
    ty: &'static Ty,
    required: bool,
}

fn locations(info: &TriggerInfo, full: &Value) -> Vec<Location> {
    let mut out = Vec::new();
    for field in info.shape.fields() {
        walk(
            &field.ty,
            field.required,
            format!("payload.{}", field.name),
            vec![Seg::Key(field.name.into())],
            full,
            &mut out,
        );
    }
    out
}

fn walk(
    ty: &'static Ty,
    required: bool,
    path: String,
    pointer: Vec<Seg>,
    root: &Value,
    out: &mut Vec<Location>,
) {
    out.push(Location {
        path: path.clone(),
        pointer: pointer.clone(),
        ty,
        required,
    });
    let value = get(root, &pointer).expect("full sample has every field");
    match ty.resolve() {
        Ty::Nullable(inner) => {
            // Describe the inner type's children (not the node again).
            if let Ty::Object(_) | Ty::Array(_) | Ty::Map(_) = inner.resolve() {
                children(inner, &path, &pointer, root, value, out);
            }
        }
        _ => children(ty, &path, &pointer, root, value, out),
    }
}

fn children(
    ty: &'static Ty,
    path: &str,
    pointer: &[Seg],
    root: &Value,
    value: &Value,
    out: &mut Vec<Location>,
) {
    match ty.resolve() {
        Ty::Object(fields) => {
            for f in fields.iter() {
                let mut p = pointer.to_vec();
                p.push(Seg::Key(f.name.into()));
                walk(
                    &f.ty,
                    f.required,
                    format!("{path}.{}", f.name),
                    p,
                    root,
                    out,
                );
            }
        }
        Ty::Array(inner) if value.as_array().is_some_and(|a| !a.is_empty()) => {
            let mut p = pointer.to_vec();
            p.push(Seg::Index(0));
            walk(inner, true, format!("{path}[0]"), p, root, out);
        }
        Ty::Map(inner) => {
            if let Some(key) = value
                .as_object()
                .and_then(|o| o.keys().next().map(str::to_string))
            {
                let mut p = pointer.to_vec();
                p.push(Seg::Key(key.clone()));
                walk(
                    inner,
                    false,
                    calhook::event::validate::join_path(path, &key),
                    p,
                    root,
                    out,
                );
            }
        }
        _ => {}
    }
}

fn get<'a>(v: &'a Value, pointer: &[Seg]) -> Option<&'a Value> {
    let mut cur = v;
    for seg in pointer {
        cur = match seg {
            Seg::Key(k) => cur.get(k)?,
            Seg::Index(i) => cur.as_array()?.get(*i)?,
        };
    }
    Some(cur)
}

/// Rebuild `v` with the node at `pointer` replaced (`Some`) or removed (`None`).
fn modify(v: &Value, pointer: &[Seg], new: Option<Value>) -> Value {
    let Some((first, rest)) = pointer.split_first() else {
        return new.unwrap_or(Value::Null);
    };
    match (v, first) {
        (Value::Object(o), Seg::Key(k)) => {
            let mut o2: Object = (**o).clone();
            if rest.is_empty() {
                match new {
                    Some(n) => o2.insert(k.as_str(), n),
                    None => {
                        o2.remove(k);
                    }
                }
            } else {
                let child = modify(o.get(k).expect("exists"), rest, new);
                o2.insert(k.as_str(), child);
            }
            Value::object(o2)
        }
        (Value::Array(a), Seg::Index(i)) => {
            let mut a2: Vec<Value> = (**a).clone();
            let child = modify(&a2[*i], rest, new);
            a2[*i] = child;
            Value::array(a2)
        }
        _ => panic!("pointer mismatch"),
    }
}

fn wrong_value(ty: &Ty) -> Option<Value> {
    match ty {
        Ty::Named(_, inner) | Ty::Nullable(inner) => wrong_value(inner),
        Ty::String | Ty::DateTime | Ty::Email | Ty::Url | Ty::Enum(_) => Some(Value::Number(42.0)),
        Ty::Number | Ty::Integer => Some(Value::string("42")),
        Ty::Bool => Some(Value::string("true")),
        Ty::Object(_) | Ty::Map(_) => Some(Value::array(vec![])),
        Ty::Array(_) => Some(Value::object(Object::new())),
        // Neither the sender's object nor the reference's plain string.
        Ty::Either(_) => Some(Value::Number(42.0)),
        Ty::Any => None,
    }
}

fn bad_format(ty: &Ty) -> Option<(Value, IssueCode)> {
    match ty {
        Ty::Named(_, inner) | Ty::Nullable(inner) => bad_format(inner),
        Ty::DateTime => Some((Value::string("15/01/2024 10:00"), IssueCode::InvalidFormat)),
        Ty::Email => Some((Value::string("not an email"), IssueCode::InvalidFormat)),
        Ty::Url => Some((Value::string("/relative/path"), IssueCode::InvalidFormat)),
        Ty::Integer => Some((Value::Number(1.5), IssueCode::InvalidFormat)),
        Ty::Enum(_) => Some((Value::string("NOT_A_STATUS"), IssueCode::InvalidValue)),
        _ => None,
    }
}

fn event_with(info: &TriggerInfo, payload: Value) -> Value {
    let mut o = Object::new();
    o.insert("triggerEvent", Value::string(info.name));
    o.insert("createdAt", Value::string("2024-01-15T09:00:00.000Z"));
    o.insert("payload", payload);
    Value::object(o)
}

#[test]
fn mutations_yield_exactly_the_expected_issues() {
    let mut checked = 0;
    for info in TRIGGERS {
        let full = sample_data_full(info);
        for loc in locations(info, &full) {
            let expect_one = |payload: Value, code: IssueCode, what: &str| {
                let (_, issues) = validate_event(&event_with(info, payload), true);
                assert_eq!(
                    codes(&issues),
                    [(loc.path.clone(), code.as_str())],
                    "{} {what} at {}",
                    info.name,
                    loc.path
                );
            };
            let is_array_item = matches!(loc.pointer.last(), Some(Seg::Index(_)));
            if loc.required && !is_array_item {
                expect_one(
                    modify(&full, &loc.pointer, None),
                    IssueCode::Required,
                    "removed",
                );
                if !matches!(loc.ty.resolve(), Ty::Nullable(_) | Ty::Any) {
                    expect_one(
                        modify(&full, &loc.pointer, Some(Value::Null)),
                        IssueCode::Required,
                        "null",
                    );
                }
                checked += 2;
            }
            if !loc.required && !is_array_item {
                // Optional fields may be absent or null.
                let (_, issues) =
                    validate_event(&event_with(info, modify(&full, &loc.pointer, None)), true);
                assert!(
                    issues.is_empty(),
                    "{} optional {} removed: {issues:?}",
                    info.name,
                    loc.path
                );
                let (_, issues) = validate_event(
                    &event_with(info, modify(&full, &loc.pointer, Some(Value::Null))),
                    true,
                );
                assert!(
                    issues.is_empty(),
                    "{} optional {} null: {issues:?}",
                    info.name,
                    loc.path
                );
                checked += 2;
            }
            if let Some(wrong) = wrong_value(loc.ty) {
                expect_one(
                    modify(&full, &loc.pointer, Some(wrong)),
                    IssueCode::WrongType,
                    "wrong type",
                );
                checked += 1;
            }
            if let Some((bad, code)) = bad_format(loc.ty) {
                expect_one(modify(&full, &loc.pointer, Some(bad)), code, "bad format");
                checked += 1;
            }
        }
    }
    eprintln!("{checked} mutations checked");
    assert!(checked > 1000, "only {checked} mutations checked");
}

#[test]
fn envelope_mutations() {
    let sample = sample_payload("BOOKING_CREATED", None).expect("known");
    let cases: [(&str, Option<Value>, &str); 6] = [
        ("triggerEvent", None, "REQUIRED"),
        ("triggerEvent", Some(Value::Number(1.0)), "WRONG_TYPE"),
        ("createdAt", None, "REQUIRED"),
        (
            "createdAt",
            Some(Value::string("yesterday")),
            "INVALID_FORMAT",
        ),
        ("payload", None, "REQUIRED"),
        ("payload", Some(Value::array(vec![])), "WRONG_TYPE"),
    ];
    for (key, replacement, code) in cases {
        let body = modify(&sample, &[Seg::Key(key.into())], replacement);
        let (_, issues) = validate_event(&body, false);
        assert_eq!(codes(&issues), [(key.to_string(), code)], "{key}");
        let err = parse_event(
            json::stringify(&body).as_bytes(),
            &ParseEventOptions::default(),
        )
        .expect_err(key);
        assert_eq!(err.code, EventErrorCode::InvalidPayload);
        assert_eq!(codes(&err.issues), [(key.to_string(), code)]);
    }
    // Several problems are all reported.
    let body = json::parse(r#"{"triggerEvent":"BOOKING_CREATED","createdAt":"x","payload":{"organizer":{},"attendees":[{"name":1}]}}"#).expect("json");
    let (_, issues) = validate_event(&body, false);
    let got = codes(&issues);
    for expected in [
        ("createdAt", "INVALID_FORMAT"),
        ("payload.title", "REQUIRED"),
        ("payload.organizer.email", "REQUIRED"),
        ("payload.attendees[0].name", "WRONG_TYPE"),
        ("payload.attendees[0].email", "REQUIRED"),
        ("payload.uid", "REQUIRED"),
    ] {
        assert!(
            got.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?} not in {got:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------------------------

#[test]
fn ten_mib_bodies() {
    let mut body = String::from(
        r#"{"triggerEvent":"PING","createdAt":"2025-03-10T14:00:00.000Z","payload":{"blob":""#,
    );
    body.push_str(&"a".repeat(10 * 1024 * 1024));
    body.push_str(r#""}}"#);
    let err = parse_event(body.as_bytes(), &ParseEventOptions::default()).expect_err("too large");
    assert_eq!(err.code, EventErrorCode::BodyTooLarge);
    assert!(err.message.contains("4194304"));
    // With a larger limit it parses (and then fails validation, cleanly).
    let opts = ParseEventOptions {
        max_bytes: 16 * 1024 * 1024,
        ..Default::default()
    };
    let err = parse_event(body.as_bytes(), &opts).expect_err("PING payload incomplete");
    assert_eq!(err.code, EventErrorCode::InvalidPayload);
    assert!(err.issues.iter().all(|i| i.code == IssueCode::Required));
    // 10 MiB of garbage: a clear error.
    let garbage = vec![b'x'; 10 * 1024 * 1024];
    assert_eq!(
        parse_event(&garbage, &opts)
            .map(|_| ())
            .expect_err("garbage")
            .code,
        EventErrorCode::NotJson
    );
}

#[test]
fn deep_nesting() {
    let depth = 10_000;
    let body = format!(
        r#"{{"triggerEvent":"PING","createdAt":"2025-03-10T14:00:00.000Z","payload":{{"x":{}{}}}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let err = parse_event(body.as_bytes(), &ParseEventOptions::default()).expect_err("too deep");
    assert_eq!(err.code, EventErrorCode::TooDeep);
    assert_eq!(
        err.json.as_ref().map(|j| j.code().as_str()),
        Some("JSON_DEPTH")
    );
    let objects = "{\"a\":".repeat(depth) + "1" + &"}".repeat(depth);
    let err = parse_event(objects.as_bytes(), &ParseEventOptions::default()).expect_err("too deep");
    assert_eq!(err.code, EventErrorCode::TooDeep);
    // Deep but allowed nesting under an `Any` field is fine and not walked.
    let ok = format!(
        r#"{{"triggerEvent":"BOOKING_PAID","createdAt":"2025-03-10T14:00:00.000Z","payload":{}}}"#,
        json::stringify(
            &sample_payload("BOOKING_PAID", None)
                .expect("known")
                .get("payload")
                .cloned()
                .map(|p| {
                    let mut o = p.as_object().cloned().unwrap_or_default();
                    o.insert(
                        "paymentData",
                        json::parse(&("[".repeat(400) + &"]".repeat(400))).expect("json"),
                    );
                    Value::object(o)
                })
                .expect("payload")
        )
    );
    assert!(parse_event(ok.as_bytes(), &ParseEventOptions::default()).is_ok());
}

#[test]
fn invalid_utf8_and_non_json() {
    let mut body =
        br#"{"triggerEvent":"PING","createdAt":"2025-03-10T14:00:00.000Z","payload":{"t":""#
            .to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0x80]);
    body.extend_from_slice(br#""}}"#);
    let err = parse_event(&body, &ParseEventOptions::default()).expect_err("utf8");
    assert_eq!(err.code, EventErrorCode::NotJson);
    assert_eq!(
        err.json.as_ref().map(|j| j.code().as_str()),
        Some("JSON_UTF8")
    );
    assert!(err.hint.is_some());

    let form = b"event=BOOKING_CREATED&booking_id=abc123&attendee=john%40example.com";
    let err = parse_event(form, &ParseEventOptions::default()).expect_err("form");
    assert_eq!(err.code, EventErrorCode::NotJson);
    let hint = err.hint.unwrap_or_default();
    assert!(hint.contains("form-urlencoded"), "{hint}");

    let unquoted = br#"{"n": 30 Min Meeting }"#;
    let err = parse_event(unquoted, &ParseEventOptions::default()).expect_err("template");
    assert_eq!(err.code, EventErrorCode::NotJson);
    assert!(err.hint.unwrap_or_default().contains("payloadTemplate"));
    assert_eq!(err.json.as_ref().map(|j| (j.line, j.column)), Some((1, 10)));

    for empty in [&b""[..], b"   "] {
        let err = parse_event(empty, &ParseEventOptions::default()).expect_err("empty");
        assert_eq!(err.code, EventErrorCode::NotJson);
        assert!(err.hint.unwrap_or_default().contains("empty"));
    }
    let bom = "\u{feff}{}".as_bytes();
    assert_eq!(
        parse_event(bom, &ParseEventOptions::default())
            .map(|_| ())
            .expect_err("bom")
            .code,
        EventErrorCode::NotJson
    );

    let err = parse_event(b"false", &ParseEventOptions::default()).expect_err("false");
    assert_eq!(err.code, EventErrorCode::InvalidPayload);
    assert!(err.hint.unwrap_or_default().contains("template"));
    assert_eq!(codes(&err.issues), [(String::new(), "WRONG_TYPE")]);
    for other in [&b"[]"[..], b"null", b"\"BOOKING_CREATED\"", b"42"] {
        let err = parse_event(other, &ParseEventOptions::default()).expect_err("not object");
        assert_eq!(err.code, EventErrorCode::InvalidPayload);
    }
}

#[test]
fn issue_lists_are_capped() {
    let attendees: Vec<String> = (0..5000).map(|_| "1".to_string()).collect();
    let body = format!(
        r#"{{"triggerEvent":"BOOKING_NO_SHOW_UPDATED","createdAt":"2025-03-12T15:40:00.000Z","payload":{{"message":"m","bookingUid":"a","attendees":[{}]}}}}"#,
        attendees.join(",")
    );
    let err = parse_event(body.as_bytes(), &ParseEventOptions::default()).expect_err("invalid");
    assert_eq!(err.issues.len(), calhook::event::parse::MAX_REPORTED_ISSUES);
    assert!(err.message.contains("5000 issues"), "{}", err.message);
    assert_eq!(err.issues[99].path, "payload.attendees[99]");
}

#[test]
fn duplicate_keys() {
    let body = br#"{"triggerEvent":"BOOKING_NO_SHOW_UPDATED","createdAt":"2025-03-12T15:40:00.000Z","payload":{"message":"m","bookingUid":"a","bookingUid":"b","attendees":[{"email":"x@y.z","noShow":true,"noShow":false}]}}"#;
    let event = parse_event(body, &ParseEventOptions::default()).expect("lenient mode accepts");
    assert_eq!(
        event.payload.get("bookingUid").and_then(Value::as_str),
        Some("b"),
        "last value wins, as JSON.parse"
    );
    assert_eq!(
        codes(&event.warnings),
        [
            ("payload.bookingUid".to_string(), "DUPLICATE_KEY"),
            ("payload.attendees[0].noShow".to_string(), "DUPLICATE_KEY")
        ]
    );
    let err = parse_event(
        body,
        &ParseEventOptions {
            strict: true,
            ..Default::default()
        },
    )
    .expect_err("strict");
    assert_eq!(err.code, EventErrorCode::InvalidPayload);
    assert_eq!(err.issues.len(), 2);
    assert!(err.issues.iter().all(|i| i.code == IssueCode::DuplicateKey));
    // A duplicated triggerEvent: the last one is used, as JSON.parse does.
    let body = br#"{"triggerEvent":"PING","triggerEvent":"NEW_THING","createdAt":"2025-03-12T15:40:00.000Z","payload":{}}"#;
    let event = parse_event(body, &ParseEventOptions::default()).expect("lenient");
    assert_eq!(
        (event.trigger_event.as_str(), event.known),
        ("NEW_THING", false)
    );
}

#[test]
fn numbers_out_of_range() {
    let sample = sample_payload("BOOKING_CREATED", None).expect("known");
    let text = json::stringify(&sample).replace("\"bookingId\":4242", "\"bookingId\":1e400");
    assert!(text.contains("1e400"));
    let err = parse_event(text.as_bytes(), &ParseEventOptions::default()).expect_err("infinite");
    assert_eq!(
        codes(&err.issues),
        [("payload.bookingId".to_string(), "INVALID_FORMAT")]
    );
    assert!(err.issues[0].message.contains("finite"));
    let text = json::stringify(&sample).replace("\"price\":0", "\"price\":-1e999");
    let err = parse_event(text.as_bytes(), &ParseEventOptions::default()).expect_err("infinite");
    assert_eq!(
        codes(&err.issues),
        [("payload.price".to_string(), "INVALID_FORMAT")]
    );
    // Huge but finite integers and tiny numbers are fine (JS doubles).
    let text = json::stringify(&sample).replace(
        "\"bookingId\":4242",
        "\"bookingId\":123456789012345678901234567890",
    );
    assert!(parse_event(text.as_bytes(), &ParseEventOptions::default()).is_ok());
    let text = json::stringify(&sample).replace("\"price\":0", "\"price\":1e-400");
    assert!(parse_event(text.as_bytes(), &ParseEventOptions::default()).is_ok());
    // Out-of-range dates are format errors.
    let text =
        json::stringify(&sample).replace("2024-01-15T09:00:00.000Z", "2024-02-30T25:00:00.000Z");
    let err = parse_event(text.as_bytes(), &ParseEventOptions::default()).expect_err("bad date");
    assert_eq!(
        codes(&err.issues),
        [("createdAt".to_string(), "INVALID_FORMAT")]
    );
}

// ---------------------------------------------------------------------------------------------
// Replay window
// ---------------------------------------------------------------------------------------------

#[test]
fn replay_window_with_injected_clock() {
    let body = json::stringify(&sample_payload("BOOKING_CREATED", None).expect("known"));
    let created = 1_705_309_200_000.0; // 2024-01-15T09:00:00.000Z
    let at = |now: f64| ParseEventOptions {
        now_ms: Some(now),
        ..ParseEventOptions::default()
    };
    assert!(parse_event(body.as_bytes(), &at(created)).is_ok());
    assert!(parse_event(body.as_bytes(), &at(created + 300_000.0)).is_ok());
    let err = parse_event(body.as_bytes(), &at(created + 300_001.0)).expect_err("stale");
    assert_eq!(err.code, EventErrorCode::StaleEvent);
    assert!(parse_event(body.as_bytes(), &at(created - 60_000.0)).is_ok());
    let err = parse_event(body.as_bytes(), &at(created - 60_001.0)).expect_err("future");
    assert_eq!(err.code, EventErrorCode::FutureEvent);
    // No clock, or no limits: no check.
    assert!(parse_event(body.as_bytes(), &ParseEventOptions::default()).is_ok());
    let unlimited = ParseEventOptions {
        now_ms: Some(created + 1e10),
        max_age_ms: None,
        max_future_ms: None,
        ..Default::default()
    };
    assert!(parse_event(body.as_bytes(), &unlimited).is_ok());
    let custom = ParseEventOptions {
        now_ms: Some(created + 3_600_000.0),
        max_age_ms: Some(86_400_000.0),
        ..Default::default()
    };
    assert!(parse_event(body.as_bytes(), &custom).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Idempotency key
// ---------------------------------------------------------------------------------------------

#[test]
fn event_keys_are_stable_and_discriminating() {
    let key_of = |v: &Value| {
        let e = parse_event(json::stringify(v).as_bytes(), &ParseEventOptions::default())
            .expect("parses");
        event_key(&e)
    };
    let base = sample_payload("BOOKING_CREATED", None).expect("known");
    let k = key_of(&base);
    assert_eq!(k.len(), 64);
    assert!(k
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    assert_eq!(
        k,
        key_of(&base),
        "a retry of the same body has the same key"
    );
    // Formatting and unrelated fields do not matter; trigger, subject and createdAt do.
    let reformatted = json::parse(&json::stringify_pretty(&base, "  ")).expect("json");
    assert_eq!(k, key_of(&reformatted));
    let over = |o: &str| {
        sample_payload("BOOKING_CREATED", Some(&json::parse(o).expect("json"))).expect("known")
    };
    assert_eq!(k, key_of(&over(r#"{"payload":{"title":"Other title"}}"#)));
    assert_ne!(k, key_of(&over(r#"{"payload":{"uid":"another-booking"}}"#)));
    assert_ne!(
        k,
        key_of(&over(r#"{"createdAt":"2024-01-15T09:00:00.001Z"}"#))
    );
    let cancelled = sample_payload(
        "BOOKING_CANCELLED",
        Some(&json::parse(r#"{"payload":{"uid":"bFJeNb2uX8ANpT3JL5EfXw"}}"#).expect("json")),
    )
    .expect("known");
    assert_ne!(k, key_of(&cancelled));
    // Every trigger's sample has a key; id-less payloads fall back to a payload hash.
    let mut keys: Vec<String> = TRIGGERS
        .iter()
        .map(|t| key_of(&sample_payload(t.name, None).expect("known")))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), TRIGGERS.len());
}

// ---------------------------------------------------------------------------------------------
// Exports
// ---------------------------------------------------------------------------------------------

/// A small JSON Schema 2020-12 checker for the keywords `json_schema` emits.
fn schema_accepts(schema: &Value, v: &Value, root: &Value) -> bool {
    let Some(s) = schema.as_object() else {
        return true;
    };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        let target = root
            .get("$defs")
            .and_then(|d| d.get(name))
            .expect("ref resolves");
        if !schema_accepts(target, v, root) {
            return false;
        }
    }
    if let Some(c) = s.get("const") {
        if c.as_str() != v.as_str() {
            return false;
        }
    }
    if let Some(Value::String(t)) = s.get("type") {
        let ok = match &**t {
            "string" => v.as_str().is_some(),
            "number" => v.as_f64().is_some_and(f64::is_finite),
            "integer" => v
                .as_f64()
                .is_some_and(|n| n.is_finite() && n.fract() == 0.0),
            "boolean" => v.as_bool().is_some(),
            "object" => v.as_object().is_some(),
            "array" => v.as_array().is_some(),
            "null" => v.is_null(),
            other => panic!("type {other}"),
        };
        if !ok {
            return false;
        }
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        if !values.iter().any(|e| e.as_str() == v.as_str()) {
            return false;
        }
    }
    if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
        if !any.iter().any(|sub| schema_accepts(sub, v, root)) {
            return false;
        }
    }
    if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
        if one
            .iter()
            .filter(|sub| schema_accepts(sub, v, root))
            .count()
            != 1
        {
            return false;
        }
    }
    if let Some(o) = v.as_object() {
        if let Some(req) = s.get("required").and_then(Value::as_array) {
            if !req
                .iter()
                .all(|k| k.as_str().is_some_and(|k| o.contains_key(k)))
            {
                return false;
            }
        }
        if let Some(props) = s.get("properties").and_then(Value::as_object) {
            for (k, sub) in props.iter() {
                if let Some(child) = o.get(k) {
                    if !schema_accepts(sub, child, root) {
                        return false;
                    }
                }
            }
        }
        if let Some(sub) = s.get("additionalProperties") {
            if !o.iter().all(|(_, child)| schema_accepts(sub, child, root)) {
                return false;
            }
        }
    }
    if let (Some(items), Some(a)) = (s.get("items"), v.as_array()) {
        if !a.iter().all(|child| schema_accepts(items, child, root)) {
            return false;
        }
    }
    true
}

#[test]
fn json_schema_agrees_with_validation() {
    let all = json_schema(None).expect("schema");
    assert_eq!(
        all.get("$schema").and_then(Value::as_str),
        Some("https://json-schema.org/draft/2020-12/schema")
    );
    for info in TRIGGERS {
        let single = json_schema(Some(info.name)).expect("known");
        let sample = sample_payload(info.name, None).expect("known");
        assert!(
            schema_accepts(&single, &sample, &single),
            "{} sample vs own schema",
            info.name
        );
        assert!(
            schema_accepts(&all, &sample, &all),
            "{} sample vs union schema",
            info.name
        );
        let full = event_with(info, sample_data_full(info));
        assert!(
            schema_accepts(&single, &full, &single),
            "{} full sample",
            info.name
        );
        // Type mutations rejected by validation are rejected by the schema too.
        let payload = sample_data_full(info);
        for loc in locations(info, &payload) {
            if let Some(wrong) = wrong_value(loc.ty) {
                let body = event_with(info, modify(&payload, &loc.pointer, Some(wrong)));
                assert!(
                    !schema_accepts(&single, &body, &single),
                    "{} {} wrong type",
                    info.name,
                    loc.path
                );
            }
            if loc.required && !matches!(loc.pointer.last(), Some(Seg::Index(_))) {
                let body = event_with(info, modify(&payload, &loc.pointer, None));
                assert!(
                    !schema_accepts(&single, &body, &single),
                    "{} {} removed",
                    info.name,
                    loc.path
                );
            }
        }
    }
    for (name, bytes) in fixtures() {
        let event = parse_event(&bytes, &ParseEventOptions::default()).expect("parses");
        if event.known {
            let normalised = event_with_value(&event);
            assert!(schema_accepts(&all, &normalised, &all), "fixture {name}");
        }
    }
}

fn event_with_value(e: &calhook::event::Event) -> Value {
    let mut o = Object::new();
    o.insert("triggerEvent", Value::string(e.trigger_event.as_str()));
    o.insert("createdAt", Value::string(e.created_at.as_str()));
    o.insert("payload", e.payload.clone());
    Value::object(o)
}

/// The body of `export interface {name}` in `ts`, followed by the bodies of the interfaces it
/// extends (shared field groups are declared once and extended).
fn interface_text(ts: &str, name: &str) -> String {
    let head = format!("export interface {name} ");
    let rest = ts.split(head.as_str()).nth(1).expect("declared");
    let (heading, body) = rest.split_once('{').expect("opened");
    let mut text = body.split("\n}\n").next().expect("closed").to_string();
    if let Some(parents) = heading.trim().strip_prefix("extends ") {
        for parent in parents.split(',') {
            text.push_str(&interface_text(ts, parent.trim()));
        }
    }
    text
}

#[test]
fn typescript_declarations_cover_every_trigger() {
    let ts = typescript_declarations();
    for info in TRIGGERS {
        let stem = info.type_name();
        assert!(
            ts.contains(&format!("export interface {stem}Payload {{"))
                || ts.contains(&format!("export interface {stem}Payload extends ")),
            "{stem}"
        );
        assert!(ts.contains(&format!(
            "export interface {stem}Event {{\n  triggerEvent: \"{}\";",
            info.name
        )));
        assert!(
            ts.contains(&format!("  | {stem}Event\n")) || ts.contains(&format!("  | {stem}Event;"))
        );
    }
    // The payload's own fields and those of the shared interfaces it extends.
    let cancelled = interface_text(&ts, "BookingCancelledPayload");
    assert!(cancelled.contains("  cancellationReason?: string | null;"));
    assert!(cancelled.contains("  status?: \"CANCELLED\" | null;"));
    assert!(cancelled.contains("  organizer: CalOrganizer;"));
    assert!(cancelled.contains("  attendees: Array<CalAttendee>;"));
    assert!(ts.contains("export type CalEventPayload<T extends CalTrigger>"));
    assert_eq!(ts.matches('{').count(), ts.matches('}').count());
}

#[test]
fn template_variables_use_the_senders_flat_form() {
    let vars = template_variables("BOOKING_CREATED").expect("known");
    let paths: Vec<&str> = vars.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(&paths[..2], ["triggerEvent", "createdAt"]);
    for p in [
        "title",
        "uid",
        "startTime",
        "organizer.name",
        "organizer.email",
        "attendees.0.email",
        "attendees.0.name",
        "metadata.videoCallUrl",
        "responses.email.value",
        "team.members",
    ] {
        assert!(paths.contains(&p), "{p}");
    }
    assert!(!paths
        .iter()
        .any(|p| p.starts_with("payload") || p.contains('[')));
    let cancelled = template_variables("BOOKING_CANCELLED").expect("known");
    assert!(cancelled
        .iter()
        .any(|v| v.path == "cancellationReason" && v.ty == "string"));
    let form = template_variables("FORM_SUBMITTED").expect("known");
    assert!(form.iter().any(|v| v.path == "payload.formName"));
    assert!(form
        .iter()
        .any(|v| v.path == "payload.responses.Email.value"));
    for info in TRIGGERS {
        let vars = template_variables(info.name).expect("known");
        let mut seen: Vec<&str> = vars.iter().map(|v| v.path.as_str()).collect();
        seen.sort();
        let n = seen.len();
        seen.dedup();
        assert_eq!(n, seen.len(), "{} has duplicate variables", info.name);
    }
}

#[test]
fn js_facing_values() {
    let body = json::parse(r#"{"triggerEvent":"BOOKING_CREATED","createdAt":"2024-01-15T09:00:00.000Z","payload":{"title":1}}"#).expect("json");
    let v = calhook::event::validate_event_value(&body, false);
    assert_eq!(v.get("ok").and_then(Value::as_bool), Some(false));
    assert_eq!(v.get("known").and_then(Value::as_bool), Some(true));
    let first = v
        .get("issues")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .expect("issues");
    let keys: Vec<&str> = first.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["path", "code", "message"]);
    let err = parse_event(
        json::stringify(&body).as_bytes(),
        &ParseEventOptions::default(),
    )
    .expect_err("invalid");
    let d = err.to_value();
    assert_eq!(
        d.get("code").and_then(Value::as_str),
        Some("INVALID_PAYLOAD")
    );
    assert!(d
        .get("issues")
        .and_then(Value::as_array)
        .is_some_and(|a| a.len() >= 5));
    let err = parse_event(b"{\"a\":", &ParseEventOptions::default()).expect_err("not json");
    let d = err.to_value();
    assert_eq!(
        d.get("json")
            .and_then(|j| j.get("code"))
            .and_then(Value::as_str),
        Some("JSON_SYNTAX")
    );
    assert!(d.get("hint").and_then(Value::as_str).is_some());
    let triggers = calhook::event::triggers_value();
    let confirmed = triggers
        .as_array()
        .expect("array")
        .iter()
        .find(|t| t.get("name").and_then(Value::as_str) == Some("BOOKING_CONFIRMED"))
        .expect("listed");
    assert_eq!(
        confirmed.get("documented").and_then(Value::as_bool),
        Some(true)
    );
    assert_eq!(
        confirmed.get("emitted").and_then(Value::as_bool),
        Some(false)
    );
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_event(&bytes, &ParseEventOptions { strict: true, now_ms: Some(0.0), ..Default::default() });
        }

        #[test]
        fn corrupted_samples_never_panic(trigger in 0..TRIGGERS.len(), flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
            let info = &TRIGGERS[trigger];
            let mut bytes = json::stringify(&sample_payload(info.name, None).expect("known")).into_bytes();
            for (at, byte) in flips {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            match parse_event(&bytes, &ParseEventOptions::default()) {
                Ok(e) => prop_assert!(!e.trigger_event.is_empty() || !e.known),
                Err(e) => prop_assert!(!e.message.is_empty()),
            }
        }

        #[test]
        fn arbitrary_json_payloads_validate_without_panic(text in "[\\[\\]{}\":,a-z0-9 ]{0,200}") {
            if let Ok(v) = json::parse(&text) {
                let mut o = Object::new();
                o.insert("triggerEvent", Value::string("BOOKING_CREATED"));
                o.insert("createdAt", Value::string("2024-01-15T09:00:00.000Z"));
                o.insert("payload", v);
                let _ = validate_event(&Value::object(o), true);
            }
        }
    }
}

#[test]
fn template_variables_render_with_the_template_engine() {
    use calhook::event::TemplateData;
    use calhook::template::{render, CompileOptions};
    let mut rendered = 0;
    for info in TRIGGERS {
        let payload = sample_data_full(info);
        let mut data = match info.template_data {
            TemplateData::Flat => payload.as_object().cloned().expect("object"),
            TemplateData::Nested => {
                let mut o = Object::new();
                o.insert("payload", payload);
                o
            }
        };
        data.insert("triggerEvent", Value::string(info.name));
        data.insert("createdAt", Value::string("2024-01-15T09:00:00.000Z"));
        let data = Value::object(data);
        for var in template_variables(info.name).expect("known") {
            let out = render(
                &format!("{{{{{}}}}}", var.path),
                &data,
                &CompileOptions::default(),
            )
            .unwrap_or_else(|e| panic!("{} {{{{{}}}}}: {e}", info.name, var.path));
            if !matches!(var.ty, "array" | "any") {
                assert!(
                    !out.is_empty(),
                    "{} {{{{{}}}}} renders empty",
                    info.name,
                    var.path
                );
                rendered += 1;
            }
        }
    }
    assert!(rendered > 300, "{rendered}");
}

#[test]
fn template_variables_in_the_reference_dialect() {
    use calhook::template::Dialect;
    let vars = calhook::event::template_variables_in("BOOKING_CREATED", Dialect::Reference)
        .expect("known");
    let paths: Vec<&str> = vars.iter().map(|v| v.path.as_str()).collect();
    assert!(paths.contains(&"triggerEvent"));
    assert!(paths.contains(&"payload.title"));
    assert!(paths.contains(&"payload.attendees[0].email"), "{paths:?}");
    assert!(!paths.iter().any(|p| p.contains(".0.")));
    let flat =
        calhook::event::template_variables_in("BOOKING_CREATED", Dialect::Calcom).expect("known");
    assert!(flat.iter().any(|v| v.path == "attendees.0.email"));
}

/// The receiving policy: a verified body that is JSON but does not match its trigger's shape
/// is never silently lost: `INVALID_PAYLOAD` carries everything received with every issue.
#[test]
fn invalid_payload_carries_the_event() {
    let body = br#"{"triggerEvent":"BOOKING_CREATED","createdAt":"2024-01-15T10:00:00.000Z","payload":{"title":"T","startTime":"2024-01-15T10:00:00Z","endTime":"2024-01-15T10:30:00Z","organizer":{"name":"J","email":"j@x.io","timeZone":"UTC"},"attendees":[{"name":"A","email":42,"timeZone":"UTC"}],"uid":"u1","extra":{"anything":[1,2]},"responses":{"name":"plain"}}}"#;
    let err = parse_event(body, &ParseEventOptions::default()).expect_err("wrong type");
    assert_eq!(err.code.as_str(), "INVALID_PAYLOAD");
    let event = err
        .event
        .as_deref()
        .expect("the event comes with the error");
    assert_eq!(event.trigger_event.as_deref(), Some("BOOKING_CREATED"));
    assert_eq!(
        event.created_at.as_deref(),
        Some("2024-01-15T10:00:00.000Z")
    );
    assert!(event.known);
    assert_eq!(event.issues, err.issues);
    let paths: Vec<&str> = event.issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["payload.attendees[0].email"]);
    // Warnings still come apart from issues; unknown fields are kept, never an issue.
    let warned: Vec<&str> = event.warnings.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(warned, ["REFERENCE_RESPONSE_VALUE"]);
    assert!(event.payload.get("extra").is_some());
    let v = err.to_value();
    let carried = v.get("event").expect("detail.event");
    assert_eq!(carried.get("valid").and_then(Value::as_bool), Some(false));
    assert_eq!(
        carried
            .get("payload")
            .and_then(|p| p.get("uid"))
            .and_then(Value::as_str),
        Some("u1")
    );

    // Strict mode's rejections carry the event too.
    let unknown =
        br#"{"triggerEvent":"NEW_THING","createdAt":"2024-01-15T10:00:00.000Z","payload":{"a":1}}"#;
    let strict = ParseEventOptions {
        strict: true,
        ..ParseEventOptions::default()
    };
    let err = parse_event(unknown, &strict).expect_err("strict");
    let event = err.event.as_deref().expect("event");
    assert!(!event.known);
    assert_eq!(event.issues[0].code.as_str(), "UNKNOWN_TRIGGER");

    // A JSON body that is not an object (Cal.com's `false` for a broken template) comes back
    // as the payload itself; a missing triggerEvent is `None`.
    let err = parse_event(b"false", &ParseEventOptions::default()).expect_err("not an object");
    let event = err.event.as_deref().expect("event");
    assert_eq!(event.trigger_event, None);
    assert!(matches!(event.payload, Value::Bool(false)));
    let err =
        parse_event(br#"{"payload":{}}"#, &ParseEventOptions::default()).expect_err("no trigger");
    assert_eq!(
        err.event.as_deref().map(|e| e.trigger_event.is_none()),
        Some(true)
    );

    // Errors that are not about the payload's shape carry no event.
    for bad in [&b"{"[..], b"\xff"] {
        assert!(parse_event(bad, &ParseEventOptions::default())
            .expect_err("bad")
            .event
            .is_none());
    }
}
