//! Webhook configuration: create/update validation (every error and warning), management
//! requests for every scope and operation, response parsing, the retry schedule.

use calhook::json::{self, Value};
use calhook::webhook::{
    check_payload_template, next_retry_at, parse_webhook_response, validate_webhook_create,
    validate_webhook_update, webhook_request, WebhookErrorCode, WebhookOp, WebhookScope,
    WebhookValidation, RETRY_SCHEDULE_MS,
};

fn v(text: &str) -> Value {
    json::parse(text).expect("test JSON")
}

type Found = Vec<(String, &'static str, &'static str)>;

fn issues(r: &WebhookValidation) -> Found {
    r.issues
        .iter()
        .map(|i| (i.path.clone(), i.code.as_str(), i.severity.as_str()))
        .collect()
}

fn one(path: &str, code: &'static str, severity: &'static str) -> Found {
    vec![(path.to_string(), code, severity)]
}

const GOOD: &str = r#"{"subscriberUrl":"https://example.com/webhooks/cal","triggers":["BOOKING_CREATED","BOOKING_CANCELLED"],"active":true,"secret":"0123456789abcdef0123"}"#;

fn with(field: &str, value: &str) -> Value {
    let mut o = v(GOOD).as_object().cloned().expect("object");
    o.insert(field, v(value));
    Value::object(o)
}

fn without(field: &str) -> Value {
    let mut o = v(GOOD).as_object().cloned().expect("object");
    o.remove(field);
    Value::object(o)
}

#[test]
fn missing_active_is_the_references_form() {
    // Optional in the reference (default true), required by the current API: accepted,
    // normalised to `true`, and named. Not on update (that would re-enable a webhook).
    let r = validate_webhook_create(&without("active"));
    assert!(r.ok);
    assert_eq!(
        issues(&r),
        one("active", "REFERENCE_ACTIVE_OPTIONAL", "warning")
    );
    assert_eq!(r.value.get("active").and_then(Value::as_bool), Some(true));
    let r = validate_webhook_update(&v(r#"{"triggers":["BOOKING_CREATED"]}"#));
    assert_eq!(issues(&r), vec![]);
}

#[test]
fn valid_create_is_normalised() {
    let r = validate_webhook_create(&v(GOOD));
    assert!(r.ok);
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    assert_eq!(
        json::stringify(&r.value),
        r#"{"subscriberUrl":"https://example.com/webhooks/cal","triggers":["BOOKING_CREATED","BOOKING_CANCELLED"],"active":true,"secret":"0123456789abcdef0123"}"#
    );
    let full = r#"{"version":"2021-10-20","secret":"0123456789abcdef0123","payloadTemplate":null,"active":false,"triggers":["MEETING_ENDED"],"subscriberUrl":"https://hooks.example.com/x?y=1"}"#;
    let r = validate_webhook_create(&v(full));
    assert!(r.ok && r.issues.is_empty(), "{:?}", r.issues);
    assert_eq!(
        json::stringify(&r.value),
        r#"{"subscriberUrl":"https://hooks.example.com/x?y=1","triggers":["MEETING_ENDED"],"active":false,"payloadTemplate":null,"secret":"0123456789abcdef0123","version":"2021-10-20"}"#
    );
    let js = r.to_value();
    assert_eq!(js.get("ok").and_then(Value::as_bool), Some(true));
    assert!(js
        .get("issues")
        .and_then(Value::as_array)
        .is_some_and(<[Value]>::is_empty));
}

/// `https:///nohost`: WHATWG URL (what `fetch` and the runtimes' `URL` do) skips the extra slashes
/// of a special scheme and reads host `nohost`, a single-label name, so it is a private-host
/// warning, not an unreadable URL. The conservative reader refuses it (covered in create_errors).
#[cfg(feature = "url")]
#[test]
fn empty_authority_follows_whatwg() {
    let r = validate_webhook_create(&with("subscriberUrl", r#""https:///nohost""#));
    assert_eq!(
        issues(&r),
        one("subscriberUrl", "PRIVATE_HOST", "warning"),
        "{:?}",
        r.issues
    );
    assert!(r.ok);
    let parts = calhook::webhook::host::read_url("https:///nohost").expect("WHATWG reads it");
    assert_eq!(
        (parts.host.as_str(), parts.href.as_str()),
        ("nohost", "https://nohost/")
    );
}

#[test]
fn create_errors() {
    let cases: Vec<(Value, Found)> = vec![
        (v("[]"), one("", "NOT_OBJECT", "error")),
        (v("null"), one("", "NOT_OBJECT", "error")),
        (
            without("subscriberUrl"),
            one("subscriberUrl", "REQUIRED", "error"),
        ),
        (
            with("subscriberUrl", "null"),
            one("subscriberUrl", "REQUIRED", "error"),
        ),
        (
            with("subscriberUrl", "42"),
            one("subscriberUrl", "WRONG_TYPE", "error"),
        ),
        (
            with("subscriberUrl", r#""example.com/hook""#),
            one("subscriberUrl", "INVALID_URL", "error"),
        ),
        (
            with("subscriberUrl", r#""ftp://example.com/hook""#),
            one("subscriberUrl", "INVALID_URL", "error"),
        ),
        (
            with("subscriberUrl", r#""https://exa mple.com/""#),
            one("subscriberUrl", "INVALID_URL", "error"),
        ),
        // Without a WHATWG parser the extra slash is unreadable; WHATWG reads it as a host
        // (see `empty_authority_follows_whatwg`).
        #[cfg(not(feature = "url"))]
        (
            with("subscriberUrl", r#""https:///nohost""#),
            one("subscriberUrl", "INVALID_URL", "error"),
        ),
        (
            with("subscriberUrl", r#""""#),
            one("subscriberUrl", "INVALID_URL", "error"),
        ),
        (without("triggers"), one("triggers", "REQUIRED", "error")),
        (
            with("triggers", r#""BOOKING_CREATED""#),
            one("triggers", "WRONG_TYPE", "error"),
        ),
        (
            with("triggers", "[]"),
            one("triggers", "EMPTY_TRIGGERS", "error"),
        ),
        (
            with("triggers", r#"["BOOKING_CREATED",7]"#),
            one("triggers[1]", "WRONG_TYPE", "error"),
        ),
        (
            with("triggers", r#"["BOOKING_CREATED","BOOKING_TELEPORTED"]"#),
            one("triggers[1]", "UNKNOWN_TRIGGER", "error"),
        ),
        (
            with("triggers", r#"["BOOKING_CREATED","BOOKING_CREATED"]"#),
            one("triggers[1]", "DUPLICATE_TRIGGER", "error"),
        ),
        (
            with("triggers", r#"["PING"]"#),
            one("triggers[0]", "NOT_SUBSCRIBABLE", "error"),
        ),
        (
            with("active", r#""yes""#),
            one("active", "WRONG_TYPE", "error"),
        ),
        (
            with("payloadTemplate", "{}"),
            one("payloadTemplate", "WRONG_TYPE", "error"),
        ),
        (with("secret", "123"), one("secret", "WRONG_TYPE", "error")),
        (
            with("version", r#""2024-01-01""#),
            one("version", "INVALID_VERSION", "error"),
        ),
        (
            with("version", "20211020"),
            one("version", "WRONG_TYPE", "error"),
        ),
    ];
    for (body, expected) in cases {
        let r = validate_webhook_create(&body);
        assert!(!r.ok, "{}", json::stringify(&body));
        assert_eq!(issues(&r), expected, "{}", json::stringify(&body));
    }
    // Lower-case trigger names get a suggestion.
    let r = validate_webhook_create(&with("triggers", r#"["booking_created"]"#));
    assert!(r.issues[0]
        .message
        .contains("Did you mean \"BOOKING_CREATED\""));
    // Everything wrong at once: all reported.
    let r = validate_webhook_create(&v(r#"{"triggers":[],"active":1,"version":"x"}"#));
    assert_eq!(r.issues.len(), 4, "{:?}", r.issues);
}

#[test]
fn create_warnings() {
    let cases: Vec<(Value, Found)> = vec![
        (
            with("subscriberUrl", r#""http://example.com/hook""#),
            one("subscriberUrl", "INSECURE_URL", "warning"),
        ),
        (
            with("subscriberUrl", r#""https://localhost:3000/hook""#),
            one("subscriberUrl", "PRIVATE_HOST", "warning"),
        ),
        (
            with("subscriberUrl", r#""https://127.0.0.1/hook""#),
            one("subscriberUrl", "PRIVATE_HOST", "warning"),
        ),
        (
            with("subscriberUrl", r#""https://10.0.0.5/hook""#),
            one("subscriberUrl", "PRIVATE_HOST", "warning"),
        ),
        (
            with("subscriberUrl", r#""https://192.168.1.10/hook""#),
            one("subscriberUrl", "PRIVATE_HOST", "warning"),
        ),
        (
            with("subscriberUrl", r#""https://172.20.0.1/hook""#),
            one("subscriberUrl", "PRIVATE_HOST", "warning"),
        ),
        (
            with("subscriberUrl", r#""https://[::1]:8443/hook""#),
            one("subscriberUrl", "PRIVATE_HOST", "warning"),
        ),
        (
            with("subscriberUrl", r#""https://nas.local/hook""#),
            one("subscriberUrl", "PRIVATE_HOST", "warning"),
        ),
        (
            with("subscriberUrl", r#""https://api.internal/hook""#),
            one("subscriberUrl", "PRIVATE_HOST", "warning"),
        ),
        (
            with("subscriberUrl", r#""http://localhost:3000/hook""#),
            vec![
                ("subscriberUrl".into(), "INSECURE_URL", "warning"),
                ("subscriberUrl".into(), "PRIVATE_HOST", "warning"),
            ],
        ),
        (
            with("triggers", r#"["BOOKING_CONFIRMED"]"#),
            one("triggers[0]", "NEVER_EMITTED", "warning"),
        ),
        (
            with("secret", r#""""#),
            one("secret", "WEAK_SECRET", "warning"),
        ),
        (
            with("secret", r#""short-secret""#),
            one("secret", "WEAK_SECRET", "warning"),
        ),
        (
            with("eventTypeId", "12"),
            one("eventTypeId", "UNKNOWN_FIELD", "warning"),
        ),
        (
            with("my field", "true"),
            one("[\"my field\"]", "UNKNOWN_FIELD", "warning"),
        ),
        (
            with("payloadTemplate", r#""title={{title}}""#),
            one("payloadTemplate", "TEMPLATE_NOT_JSON", "warning"),
        ),
        (
            with("payloadTemplate", r#""{\"id\":\"{{payload.uid}}\"}""#),
            one("payloadTemplate", "TEMPLATE_PAYLOAD_PREFIX", "warning"),
        ),
    ];
    for (body, expected) in cases {
        let r = validate_webhook_create(&body);
        assert!(r.ok, "warnings do not block: {}", json::stringify(&body));
        assert_eq!(issues(&r), expected, "{}", json::stringify(&body));
    }
    // Unknown fields are kept in the value (the user's intent is not dropped silently).
    let r = validate_webhook_create(&with("eventTypeId", "12"));
    assert_eq!(
        r.value.get("eventTypeId").and_then(Value::as_f64),
        Some(12.0)
    );
    // The secret is never echoed.
    let r = validate_webhook_create(&with("secret", r#""hunter2""#));
    assert!(r.issues.iter().all(|i| !i.message.contains("hunter2")));
    // 16 characters is enough.
    assert!(
        validate_webhook_create(&with("secret", r#""0123456789abcdef""#))
            .issues
            .is_empty()
    );
    // A public IPv4 host is fine (203.0.113.0/24 is not: it is documentation, TEST-NET-3).
    assert!(
        validate_webhook_create(&with("subscriberUrl", r#""https://8.8.4.4/h""#))
            .issues
            .is_empty()
    );
}

#[test]
fn payload_templates() {
    let booking = ["BOOKING_CREATED".to_string()];
    let codes = |src: &str, triggers: &[String]| -> Vec<(&'static str, &'static str)> {
        check_payload_template(src, triggers)
            .iter()
            .map(|i| (i.code.as_str(), i.severity.as_str()))
            .collect()
    };
    // The reference's own example is a Handlebars syntax error on the real sender: the API
    // accepts the webhook, so it is valid, with warnings naming both reference forms.
    let reference = r#"{"event": "{{triggerEvent}}", "booking_id": "{{payload.uid}}", "attendee": "{{payload.attendees[0].email}}"}"#;
    let body = with(
        "payloadTemplate",
        &json::stringify(&Value::string(reference)),
    );
    let r = validate_webhook_create(&body);
    assert!(r.ok, "{:?}", issues(&r));
    let found = issues(&r);
    assert_eq!(
        found,
        vec![
            (
                "payloadTemplate".to_string(),
                "REFERENCE_INDEX_SYNTAX",
                "warning"
            ),
            (
                "payloadTemplate".to_string(),
                "TEMPLATE_PAYLOAD_PREFIX",
                "warning"
            ),
        ]
    );
    for needle in ["attendees.0.email", "line 1", "send nothing"] {
        assert!(
            r.issues[0].message.contains(needle),
            "{needle}: {}",
            r.issues[0].message
        );
    }
    // A real syntax error is still an error.
    assert_eq!(
        codes(r#"{"a": "{{#if x}}"}"#, &booking),
        [("TEMPLATE_SYNTAX", "error")]
    );
    // Fixed brackets, still payload.-prefixed: renders empty on booking triggers.
    let prefixed = r#"{"event":"{{triggerEvent}}","booking_id":"{{payload.uid}}"}"#;
    assert_eq!(
        codes(prefixed, &booking),
        [("TEMPLATE_PAYLOAD_PREFIX", "warning")]
    );
    // The flat form works and is JSON.
    let good = r#"{"event":"{{triggerEvent}}","at":"{{createdAt}}","booking_id":"{{uid}}","attendee":"{{attendees.0.email}}","x":"{{attendees.[0].name}}","who":"{{organizer.name}}"}"#;
    assert!(codes(good, &booking).is_empty());
    // Variables inside blocks are relative to the block: not linted.
    let each =
        r#"{"names":"{{#each attendees}}{{name}},{{/each}}","t":"{{#if title}}{{title}}{{/if}}"}"#;
    assert!(codes(each, &booking).is_empty());
    // payload.x is right for generic (nested) triggers.
    let form = r#"{"form":"{{payload.formName}}"}"#;
    assert!(codes(form, &["FORM_SUBMITTED".into()]).is_empty());
    assert_eq!(
        codes(form, &booking),
        [("TEMPLATE_PAYLOAD_PREFIX", "warning")]
    );
    assert_eq!(
        codes(r#"{"f":"{{formName}}"}"#, &["FORM_SUBMITTED".into()]),
        [("TEMPLATE_UNKNOWN_VARIABLE", "warning")]
    );
    // Typos in top-level variables.
    let typo = r#"{"who":"{{organiser.name}}","t":"{{title}}"}"#;
    let found = check_payload_template(typo, &booking);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code.as_str(), "TEMPLATE_UNKNOWN_VARIABLE");
    assert!(found[0].message.contains("organiser.name"));
    // A variable of any subscribed trigger is fine; undescribed shapes accept anything.
    assert!(codes(
        r#"{"r":"{{cancellationReason}}"}"#,
        &["BOOKING_CREATED".into(), "BOOKING_CANCELLED".into()]
    )
    .is_empty());
    assert!(codes(
        r#"{"d":"{{payload.domain}}"}"#,
        &["DELEGATION_CREDENTIAL_ERROR".into()]
    )
    .is_empty());
    // Unknown triggers: no variable lint.
    assert!(codes(r#"{"x":"{{whatever}}"}"#, &["BOOKING_TELEPORTED".into()]).is_empty());
    // Unquoted mustache: not JSON, so form-urlencoded.
    assert_eq!(
        codes(r#"{"n": {{length}} }"#, &booking),
        [("TEMPLATE_NOT_JSON", "warning")]
    );
    // Other compile failures.
    assert_eq!(
        codes(r#"{"a":"{{#if title}}x"}"#, &booking)[0],
        ("TEMPLATE_SYNTAX", "error")
    );
    assert_eq!(
        codes(r#"{"a":"{{> partial}}"}"#, &booking),
        [("TEMPLATE_RENDER", "error")]
    );
    assert_eq!(
        codes(r#"{"a":"{{missingHelper title}}"}"#, &booking),
        [("TEMPLATE_RENDER", "error")]
    );
    // JSON template whose output is not JSON (Cal.com turns &quot; back into a quote): body `false`.
    assert_eq!(
        codes(r#"{"a":"&quot;{{title}}"}"#, &booking),
        [("TEMPLATE_INVALID_OUTPUT", "warning")]
    );
    let huge = format!("{{\"a\":\"{}\"}}", "x".repeat(300 * 1024));
    assert_eq!(codes(&huge, &booking), [("TEMPLATE_LIMIT", "error")]);
    // Empty counts as no template.
    assert!(check_payload_template("", &[]).is_empty());
    assert!(validate_webhook_create(&with("payloadTemplate", r#""""#))
        .issues
        .is_empty());
}

#[test]
fn update_rules() {
    let r = validate_webhook_update(&v(r#"{"active":false,"triggers":["BOOKING_CREATED"]}"#));
    assert!(r.ok && r.issues.is_empty());
    assert_eq!(
        json::stringify(&r.value),
        r#"{"triggers":["BOOKING_CREATED"],"active":false}"#
    );
    // active is not defaulted on update (that would re-enable a disabled webhook).
    let r = validate_webhook_update(&v(r#"{"secret":"0123456789abcdef0123"}"#));
    assert!(r.ok);
    assert!(r.value.get("active").is_none());
    // At least one field.
    let r = validate_webhook_update(&v("{}"));
    assert_eq!(issues(&r), one("", "NO_FIELDS", "error"));
    let r = validate_webhook_update(&v(r#"{"foo":1}"#));
    assert_eq!(
        issues(&r),
        vec![
            ("foo".into(), "UNKNOWN_FIELD", "warning"),
            ("".into(), "NO_FIELDS", "error")
        ]
    );
    // Same rules as create.
    for (body, expected) in [
        (
            r#"{"triggers":[]}"#,
            one("triggers", "EMPTY_TRIGGERS", "error"),
        ),
        (
            r#"{"subscriberUrl":"nope"}"#,
            one("subscriberUrl", "INVALID_URL", "error"),
        ),
        (r#"{"active":"no"}"#, one("active", "WRONG_TYPE", "error")),
        (
            r#"{"version":"1"}"#,
            one("version", "INVALID_VERSION", "error"),
        ),
    ] {
        assert_eq!(
            issues(&validate_webhook_update(&v(body))),
            expected,
            "{body}"
        );
    }
    for (body, expected) in [
        (
            r#"{"subscriberUrl":"http://192.168.0.2/"}"#,
            vec![
                ("subscriberUrl".into(), "INSECURE_URL", "warning"),
                ("subscriberUrl".into(), "PRIVATE_HOST", "warning"),
            ],
        ),
        (
            r#"{"triggers":["BOOKING_CONFIRMED"]}"#,
            one("triggers[0]", "NEVER_EMITTED", "warning"),
        ),
        (
            r#"{"secret":"abc"}"#,
            one("secret", "WEAK_SECRET", "warning"),
        ),
        (
            r#"{"active":true,"x":1}"#,
            one("x", "UNKNOWN_FIELD", "warning"),
        ),
        (
            r#"{"payloadTemplate":"a={{title}}"}"#,
            one("payloadTemplate", "TEMPLATE_NOT_JSON", "warning"),
        ),
    ] {
        let r = validate_webhook_update(&v(body));
        assert!(r.ok, "{body}");
        assert_eq!(issues(&r), expected, "{body}");
    }
    // null payloadTemplate clears the template.
    let r = validate_webhook_update(&v(r#"{"payloadTemplate":null}"#));
    assert!(r.ok);
    assert_eq!(json::stringify(&r.value), r#"{"payloadTemplate":null}"#);
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

const KEY: &str = "cal_live_0123456789abcdef";

fn header<'a>(req: &'a calhook::webhook::WebhookRequest, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn every_endpoint() {
    let scopes = [
        (WebhookScope::User, "/v2/webhooks"),
        (
            WebhookScope::EventType("42".into()),
            "/v2/event-types/42/webhooks",
        ),
        (
            WebhookScope::Organization("7".into()),
            "/v2/organizations/7/webhooks",
        ),
        (
            WebhookScope::OAuthClient("clxyz".into()),
            "/v2/oauth-clients/clxyz/webhooks",
        ),
    ];
    let id = "3f1c9a7e-5b2d-4e8f-9a6b-1c2d3e4f5a6b";
    let create = v(GOOD);
    let update = v(r#"{"active":false}"#);
    for (scope, path) in &scopes {
        let base = format!("https://api.cal.com{path}");
        let cases: [(WebhookOp, Option<&Value>, &str, String); 5] = [
            (WebhookOp::List, None, "GET", base.clone()),
            (WebhookOp::Create, Some(&create), "POST", base.clone()),
            (WebhookOp::Get, None, "GET", format!("{base}/{id}")),
            (
                WebhookOp::Update,
                Some(&update),
                "PATCH",
                format!("{base}/{id}"),
            ),
            (WebhookOp::Delete, None, "DELETE", format!("{base}/{id}")),
        ];
        for (op, body, method, url) in cases {
            let req = webhook_request(op, scope, Some(id), body, KEY, None).expect("valid request");
            assert_eq!(req.method, method);
            assert_eq!(req.url, url);
            assert_eq!(
                header(&req, "Authorization"),
                Some("Bearer cal_live_0123456789abcdef")
            );
            assert_eq!(header(&req, "Accept"), Some("application/json"));
            assert_eq!(header(&req, "Content-Type").is_some(), body.is_some());
            assert_eq!(req.body.is_some(), body.is_some());
            assert!(!format!("{req:?}").contains(KEY), "Debug hides the key");
        }
    }
    let req = webhook_request(
        WebhookOp::Create,
        &WebhookScope::User,
        None,
        Some(&create),
        KEY,
        None,
    )
    .expect("ok");
    assert_eq!(
        req.body.as_deref(),
        Some(
            r#"{"subscriberUrl":"https://example.com/webhooks/cal","triggers":["BOOKING_CREATED","BOOKING_CANCELLED"],"active":true,"secret":"0123456789abcdef0123"}"#
        )
    );
    let js = req.to_value();
    assert_eq!(
        js.get("headers")
            .and_then(|h| h.get("Authorization"))
            .and_then(Value::as_str),
        Some("Bearer cal_live_0123456789abcdef")
    );
    // Custom base URL, trailing slash, ids percent-encoded.
    let scope = WebhookScope::parse("eventType", Some("a/b c")).expect("scope");
    let req = webhook_request(
        WebhookOp::Get,
        &scope,
        Some("x?y"),
        None,
        KEY,
        Some("https://cal.example.com:3003/"),
    )
    .expect("ok");
    assert_eq!(
        req.url,
        "https://cal.example.com:3003/v2/event-types/a%2Fb%20c/webhooks/x%3Fy"
    );
    // The base URL must be https (the key travels in it), without credentials.
    for base in [
        "http://localhost:3003",
        "https://user:pw@api.cal.com",
        "https://api.cal.com?x",
    ] {
        let err =
            webhook_request(WebhookOp::List, &scope, None, None, KEY, Some(base)).expect_err(base);
        assert_eq!(err.code.as_str(), "INVALID_BASE_URL", "{base}");
    }
    // "Bearer " prefix in the key is tolerated.
    let req = webhook_request(
        WebhookOp::List,
        &WebhookScope::User,
        None,
        None,
        "Bearer cal_test_abc",
        None,
    )
    .expect("ok");
    assert_eq!(header(&req, "Authorization"), Some("Bearer cal_test_abc"));
}

#[test]
fn request_errors_never_echo_the_key() {
    let secretish = "cal_live_SECRET\nInjected: yes";
    let cases: Vec<(
        Result<calhook::webhook::WebhookRequest, calhook::webhook::WebhookError>,
        WebhookErrorCode,
    )> = vec![
        (
            webhook_request(WebhookOp::List, &WebhookScope::User, None, None, "", None),
            WebhookErrorCode::MissingApiKey,
        ),
        (
            webhook_request(
                WebhookOp::List,
                &WebhookScope::User,
                None,
                None,
                "   ",
                None,
            ),
            WebhookErrorCode::MissingApiKey,
        ),
        (
            webhook_request(
                WebhookOp::List,
                &WebhookScope::User,
                None,
                None,
                secretish,
                None,
            ),
            WebhookErrorCode::InvalidApiKey,
        ),
        (
            webhook_request(
                WebhookOp::List,
                &WebhookScope::User,
                None,
                None,
                KEY,
                Some("api.cal.com"),
            ),
            WebhookErrorCode::InvalidBaseUrl,
        ),
        (
            webhook_request(
                WebhookOp::List,
                &WebhookScope::User,
                None,
                None,
                KEY,
                Some("https://u:p@api.cal.com"),
            ),
            WebhookErrorCode::InvalidBaseUrl,
        ),
        (
            webhook_request(WebhookOp::Get, &WebhookScope::User, None, None, KEY, None),
            WebhookErrorCode::MissingWebhookId,
        ),
        (
            webhook_request(
                WebhookOp::Delete,
                &WebhookScope::User,
                Some("  "),
                None,
                KEY,
                None,
            ),
            WebhookErrorCode::MissingWebhookId,
        ),
        (
            webhook_request(
                WebhookOp::Create,
                &WebhookScope::User,
                None,
                None,
                KEY,
                None,
            ),
            WebhookErrorCode::InvalidBody,
        ),
        (
            webhook_request(
                WebhookOp::Create,
                &WebhookScope::User,
                None,
                Some(&v(r#"{"triggers":[]}"#)),
                KEY,
                None,
            ),
            WebhookErrorCode::InvalidBody,
        ),
        (
            webhook_request(
                WebhookOp::Update,
                &WebhookScope::User,
                Some("id"),
                Some(&v("{}")),
                KEY,
                None,
            ),
            WebhookErrorCode::InvalidBody,
        ),
        (
            webhook_request(
                WebhookOp::List,
                &WebhookScope::User,
                None,
                Some(&v("{}")),
                KEY,
                None,
            ),
            WebhookErrorCode::UnexpectedBody,
        ),
        (
            webhook_request(
                WebhookOp::List,
                &WebhookScope::EventType(" ".into()),
                None,
                None,
                KEY,
                None,
            ),
            WebhookErrorCode::MissingScopeId,
        ),
    ];
    for (result, code) in cases {
        let err = result.expect_err("must fail");
        assert_eq!(err.code, code);
        let shown = format!("{err} {err:?} {}", json::stringify(&err.to_value()));
        assert!(!shown.contains("SECRET") && !shown.contains(KEY), "{shown}");
    }
    let err = webhook_request(
        WebhookOp::Create,
        &WebhookScope::User,
        None,
        Some(&v(r#"{"triggers":[],"active":true}"#)),
        KEY,
        None,
    )
    .expect_err("invalid");
    let codes: Vec<&str> = err.issues.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, ["REQUIRED", "EMPTY_TRIGGERS"]);
    // Warnings alone do not block.
    let body = v(r#"{"subscriberUrl":"http://localhost/x","triggers":["BOOKING_CONFIRMED"]}"#);
    assert!(webhook_request(
        WebhookOp::Create,
        &WebhookScope::User,
        None,
        Some(&body),
        KEY,
        None
    )
    .is_ok());
    // Ops and scopes from strings (for the JS binding).
    assert_eq!(
        WebhookOp::parse("update").map_err(|e| e.code).ok(),
        Some(WebhookOp::Update)
    );
    assert_eq!(
        WebhookOp::parse("patch").err().map(|e| e.code),
        Some(WebhookErrorCode::UnknownOperation)
    );
    assert_eq!(
        WebhookScope::parse("organization", Some("9")).ok(),
        Some(WebhookScope::Organization("9".into()))
    );
    assert_eq!(
        WebhookScope::parse("oauthClient", None)
            .err()
            .map(|e| e.code),
        Some(WebhookErrorCode::MissingScopeId)
    );
    assert_eq!(
        WebhookScope::parse("team", Some("1")).err().map(|e| e.code),
        Some(WebhookErrorCode::UnknownScope)
    );
}

#[test]
fn responses() {
    let list = r#"{"status":"success","data":[{"id":"webhook-id-123","subscriberUrl":"https://your-app.com/webhook","triggers":["BOOKING_CREATED","BOOKING_CANCELLED"],"active":true,"payloadTemplate":null,"secret":"whsec_..."}]}"#;
    let data = parse_webhook_response(list).expect("success");
    assert_eq!(data.as_array().map(<[Value]>::len), Some(1));
    let err = parse_webhook_response(r#"{"status":"error","error":{"code":"BadRequestException","message":"only HTTPS URLs to public hosts are permitted"}}"#).expect_err("api error");
    assert_eq!(err.code, WebhookErrorCode::ApiError);
    assert!(err.message.contains("only HTTPS URLs"));
    assert!(err.message.contains("BadRequestException"));
    assert!(err.api_error.is_some());
    assert_eq!(
        parse_webhook_response("<html>").expect_err("html").code,
        WebhookErrorCode::NotJson
    );
    assert_eq!(
        parse_webhook_response(r#"{"data":1}"#)
            .expect_err("envelope")
            .code,
        WebhookErrorCode::InvalidResponse
    );
    assert!(parse_webhook_response(r#"{"status":"success"}"#)
        .expect("ok")
        .is_null());
}

#[test]
fn retry_schedule_is_the_references() {
    assert_eq!(
        RETRY_SCHEDULE_MS,
        [60_000.0, 300_000.0, 1_800_000.0, 7_200_000.0, 86_400_000.0]
    );
    let t0 = 1_700_000_000_000.0;
    let due: Vec<Option<f64>> = (0..=6).map(|n| next_retry_at(n, t0)).collect();
    assert_eq!(
        due,
        [
            None,
            Some(t0 + 60_000.0),
            Some(t0 + 300_000.0),
            Some(t0 + 1_800_000.0),
            Some(t0 + 7_200_000.0),
            Some(t0 + 86_400_000.0),
            None
        ]
    );
}

#[test]
fn response_json_errors_count_utf16_columns() {
    // `x` is at JS index 7 (the emoji is two UTF-16 units), so column 8; 7 in characters.
    let err = calhook::webhook::parse_webhook_response("{\"😀\": x}").expect_err("not JSON");
    assert!(err.message.contains("line 1, column 8"), "{}", err.message);
}
