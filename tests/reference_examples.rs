//! Every example of the API reference (copied byte for byte into
//! `tests/reference/webhooks-api-examples.txt`) parses or validates as what it is, with exactly
//! the expected warnings: where the reference's form differs from the sender's, calhook
//! accepts it and names the difference with a stable code.

mod common;

use calhook::event::{self, parse_event, ParseEventOptions, TRIGGERS};
use calhook::json::{self, Value};
use calhook::lint::{apply_fixes, lint_template, LintOptions};
use calhook::template::{self, CompileOptions, Dialect};
use calhook::webhook::{
    self, parse_webhook_response, validate_webhook_create, validate_webhook_update, WebhookOp,
    WebhookScope, RETRY_SCHEDULE_MS,
};
use common::{fill_elided, reference_example, reference_examples};

fn warnings_of(text: &str) -> Vec<(String, String)> {
    let event = parse_event(text.as_bytes(), &ParseEventOptions::default())
        .unwrap_or_else(|e| panic!("{e}: {:?}", e.issues));
    event
        .warnings
        .iter()
        .map(|w| (w.path.clone(), w.code.as_str().to_string()))
        .collect()
}

#[test]
fn the_fixture_holds_every_example_kind() {
    let examples = reference_examples();
    let names: Vec<&str> = examples.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.len(), 16, "{names:?}");
    for e in &examples {
        assert!(
            e.source.starts_with("webhooks-api-reference.md lines "),
            "{}",
            e.name
        );
        assert!(!e.text.is_empty() && !e.text.ends_with('\n'), "{}", e.name);
    }
    // Verbatim: the reference's own spelling, elisions included.
    assert!(reference_example("booking-cancelled").contains("\"organizer\": {...},"));
    assert!(reference_example("signature-header").contains("sha256=<signature>"));
}

#[test]
fn booking_created_plain_responses_are_warnings() {
    let text = reference_example("booking-created");
    assert_eq!(
        warnings_of(&text),
        [
            (
                "payload.responses.name".into(),
                "REFERENCE_RESPONSE_VALUE".into()
            ),
            (
                "payload.responses.email".into(),
                "REFERENCE_RESPONSE_VALUE".into()
            ),
        ]
    );
    let event = parse_event(text.as_bytes(), &ParseEventOptions::default()).expect("parses");
    assert!(event.known);
    assert_eq!(event.trigger_event, "BOOKING_CREATED");
    assert!(event.warnings[0].message.contains("{label, value}"));
    // Strict mode does not turn a reference form into a rejection.
    let strict = ParseEventOptions {
        strict: true,
        ..ParseEventOptions::default()
    };
    assert_eq!(
        parse_event(text.as_bytes(), &strict)
            .map(|e| e.warnings.len())
            .ok(),
        Some(2)
    );
    // The validator agrees: valid, with the same warnings.
    let v = event::validate_event_value(&json::parse(&text).expect("json"), false);
    assert_eq!(v.get("ok").and_then(Value::as_bool), Some(true));
    assert_eq!(
        v.get("warnings").and_then(Value::as_array).map(|w| w.len()),
        Some(2)
    );
}

#[test]
fn cancelled_and_rescheduled_with_organizer_and_attendees_filled_in() {
    for (name, trigger) in [
        ("booking-cancelled", "BOOKING_CANCELLED"),
        ("booking-rescheduled", "BOOKING_RESCHEDULED"),
    ] {
        let text = fill_elided(&reference_example(name));
        assert_eq!(warnings_of(&text), [], "{name}");
        let event = parse_event(text.as_bytes(), &ParseEventOptions::default()).expect("parses");
        assert_eq!(event.trigger_event, trigger);
        assert_eq!(
            event
                .payload
                .get("organizer")
                .and_then(|o| o.get("name"))
                .and_then(Value::as_str),
            Some("Jane Smith")
        );
    }
    // As printed (with `{...}`), they are not JSON: NOT_JSON, never a crash.
    let raw = reference_example("booking-cancelled");
    let err = parse_event(raw.as_bytes(), &ParseEventOptions::default()).expect_err("not JSON");
    assert_eq!(err.code.as_str(), "NOT_JSON");
}

#[test]
fn webhook_bodies_validate() {
    let expect = |name: &str, update: bool, codes: &[&str]| {
        let body = json::parse(&reference_example(name)).expect("JSON");
        let r = if update {
            validate_webhook_update(&body)
        } else {
            validate_webhook_create(&body)
        };
        assert!(r.ok, "{name}: {:?}", r.issues);
        let found: Vec<&str> = r.issues.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(found, codes, "{name}");
        assert!(
            r.issues.iter().all(|i| i.severity.as_str() == "warning"),
            "{name}"
        );
    };
    expect("create-body", false, &[]);
    expect("update-body", true, &[]);
    expect("event-type-create-body", false, &[]);
    expect(
        "template-create-body",
        false,
        &[
            "REFERENCE_ACTIVE_OPTIONAL",
            "REFERENCE_INDEX_SYNTAX",
            "TEMPLATE_PAYLOAD_PREFIX",
        ],
    );
}

#[test]
fn list_response_parses() {
    let data = parse_webhook_response(&reference_example("list-response")).expect("parses");
    let items = data.as_array().expect("an array");
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].get("id").and_then(Value::as_str),
        Some("webhook-id-123")
    );
}

/// `METHOD /path` lines of an example, with the path's `{placeholder}`s.
fn endpoint_lines(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let method = words.next()?;
            let path = words.next()?;
            (path.starts_with("/v2/")).then(|| (method.to_string(), path.to_string()))
        })
        .collect()
}

fn request_for(op: WebhookOp, scope: &WebhookScope, id: Option<&str>) -> (String, String) {
    let body = match op {
        WebhookOp::Create => Some(json::parse(&reference_example("create-body")).expect("json")),
        WebhookOp::Update => Some(json::parse(&reference_example("update-body")).expect("json")),
        _ => None,
    };
    let r = webhook::webhook_request(op, scope, id, body.as_ref(), "cal_live_abc123", None)
        .unwrap_or_else(|e| panic!("{e}"));
    let url = r
        .url
        .strip_prefix(webhook::DEFAULT_BASE_URL)
        .expect("base URL")
        .to_string();
    (r.method.to_string(), url)
}

#[test]
fn every_endpoint_is_built_as_documented() {
    let table = endpoint_lines(&reference_example("endpoints"));
    assert_eq!(table.len(), 5);
    for (method, path) in &table {
        let op = match (method.as_str(), path.contains("{webhookId}")) {
            ("GET", false) => WebhookOp::List,
            ("POST", false) => WebhookOp::Create,
            ("GET", true) => WebhookOp::Get,
            ("PATCH", true) => WebhookOp::Update,
            ("DELETE", true) => WebhookOp::Delete,
            other => panic!("unexpected {other:?}"),
        };
        let got = request_for(op, &WebhookScope::User, Some("wh-1"));
        assert_eq!(got, (method.clone(), path.replace("{webhookId}", "wh-1")));
    }
    for (name, placeholder, scope) in [
        (
            "event-type-endpoints",
            "{eventTypeId}",
            WebhookScope::EventType("42".into()),
        ),
        (
            "organization-endpoints",
            "{orgId}",
            WebhookScope::Organization("42".into()),
        ),
        (
            "oauth-client-endpoints",
            "{clientId}",
            WebhookScope::OAuthClient("42".into()),
        ),
    ] {
        let lines = endpoint_lines(&reference_example(name));
        assert_eq!(lines.len(), 2, "{name}");
        for (method, path) in lines {
            let op = if method == "GET" {
                WebhookOp::List
            } else {
                WebhookOp::Create
            };
            assert_eq!(
                request_for(op, &scope, None),
                (method, path.replace(placeholder, "42")),
                "{name}"
            );
        }
    }
}

#[test]
fn documented_triggers_are_known() {
    let text = reference_example("triggers");
    let names: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(names.len(), 14);
    for name in names {
        let info = event::trigger(name).unwrap_or_else(|| panic!("{name} unknown"));
        assert!(info.documented, "{name}");
    }
    assert_eq!(TRIGGERS.iter().filter(|t| t.documented).count(), 14);
}

#[test]
fn retry_policy_matches_the_schedule() {
    let ms: Vec<f64> = reference_example("retry-policy")
        .lines()
        .map(|l| {
            let (_, when) = l.split_once(": ").expect("n-th retry: when");
            let (n, unit) = when.split_once(' ').expect("amount unit");
            let n: f64 = n.parse().expect("number");
            n * match unit.trim_end_matches('s') {
                "minute" => 60_000.0,
                "hour" => 3_600_000.0,
                other => panic!("unit {other}"),
            }
        })
        .collect();
    assert_eq!(ms, RETRY_SCHEDULE_MS);
}

/// The template of the reference's custom-template example (its `payloadTemplate`).
fn reference_template() -> String {
    let body = json::parse(&reference_example("template-create-body")).expect("json");
    body.get("payloadTemplate")
        .and_then(Value::as_str)
        .expect("a template")
        .to_string()
}

fn reference_event() -> Value {
    json::parse(&reference_example("booking-created")).expect("json")
}

#[test]
fn the_template_renders_in_the_reference_dialect() {
    let src = reference_template();
    let reference = CompileOptions {
        dialect: Dialect::Reference,
        ..CompileOptions::default()
    };
    let out = template::render(&src, &reference_event(), &reference).expect("renders");
    assert_eq!(
        out,
        r#"{"event": "BOOKING_CREATED", "booking_id": "booking-uid-123", "attendee": "john@example.com"}"#
    );
    // In the sender's dialect it is the syntax error the real sender throws on; the linter
    // names both differences and its fixes give the sender's spelling, which renders the same
    // on the sender's flat data.
    assert!(template::compile(&src, &CompileOptions::default()).is_err());
    let diags = lint_template(&src, &LintOptions::default());
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"REFERENCE_INDEX_SYNTAX"), "{codes:?}");
    let fixed = apply_fixes(&src, &diags);
    let fixed = apply_fixes(&fixed, &lint_template(&fixed, &LintOptions::default()));
    assert_eq!(
        fixed,
        r#"{"event": "{{triggerEvent}}", "booking_id": "{{uid}}", "attendee": "{{attendees.0.email}}"}"#
    );
    let event = reference_event();
    let payload = event.get("payload").cloned().unwrap_or_default();
    let data = calhook::delivery::template_data(
        "BOOKING_CREATED",
        "2024-01-15T10:00:00.000Z",
        &payload,
        Dialect::Calcom,
    );
    assert_eq!(
        template::render(&fixed, &data, &CompileOptions::default()).ok(),
        Some(out)
    );
}

#[test]
fn every_documented_variable_renders_in_the_reference_dialect() {
    let text = reference_example("template-variables");
    let vars = event::template_variables_in("BOOKING_CREATED", Dialect::Reference).expect("vars");
    let reference = CompileOptions {
        dialect: Dialect::Reference,
        ..CompileOptions::default()
    };
    let expected = [
        "BOOKING_CREATED",
        "booking-uid-123",
        "30 Minute Meeting",
        "2024-01-15T10:00:00.000Z",
        "2024-01-15T10:30:00.000Z",
        "Jane Smith",
        "jane@company.com",
        "John Doe",
        "john@example.com",
    ];
    let mustaches: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            l.split_once("{{")
                .and_then(|(_, r)| r.split_once("}}"))
                .map(|(m, _)| m)
        })
        .collect();
    assert_eq!(mustaches.len(), expected.len());
    for (path, want) in mustaches.iter().zip(expected) {
        let out = template::render(&format!("{{{{{path}}}}}"), &reference_event(), &reference)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(out, want, "{path}");
        assert!(
            *path == "triggerEvent" || vars.iter().any(|v| v.path == *path),
            "{path} is not in templateVariables(BOOKING_CREATED, reference)"
        );
    }
}

#[test]
fn the_signature_header_form_verifies() {
    let line = reference_example("signature-header");
    let body = reference_example("booking-created");
    let digest = calhook::sign(body.as_bytes(), Some(b"your-webhook-secret"));
    let header = line
        .strip_prefix("X-Cal-Signature-256: ")
        .expect("header line")
        .replace("<signature>", &digest);
    assert!(header.starts_with("sha256="));
    assert_eq!(
        calhook::verify(body.as_bytes(), Some(&header), b"your-webhook-secret").ok(),
        Some(true)
    );
}
