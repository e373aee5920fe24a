//! Webhook management: create/update validation, request building and response parsing.
//!
//! Input: JSON text (a create/update body, or `{op, scope, scopeId, webhookId, body, baseUrl,
//! apiKey}` for a request, or an API response). Every entry point gets the same input.
//!
//! Invariants:
//! - validation results and errors serialise to JSON that parses back;
//! - `ok` ⇔ no error-severity issue; an OK create body re-validates OK (normalisation is
//!   idempotent) and an OK update body too;
//! - the webhook secret never appears in an issue message, and the API key never appears in an
//!   error or in the request's `Debug` output;
//! - a built request's URL is http(s) and has no whitespace or control characters.
#![no_main]

use calhook::json::{self, Value};
use calhook::webhook::{
    check_payload_template, parse_webhook_response, validate_webhook_create,
    validate_webhook_update, webhook_request, WebhookOp, WebhookScope, WebhookValidation,
};
use libfuzzer_sys::fuzz_target;

const API_KEY: &str = "cal_live_0123456789abcdef";

/// Whether `needle` is long enough to be meaningful and appears nowhere in `haystack`.
fn absent(needle: &str, haystack: &str) -> bool {
    needle.len() >= 8 && !haystack.contains(needle)
}

fn check_validation(v: &WebhookValidation, body: &Value) {
    let text = json::stringify(&v.to_value());
    json::parse(&text).expect("validation JSON parses back");
    assert_eq!(v.ok, v.errors().next().is_none());
    // The secret must never be echoed in a message.
    if let Some(secret) = body.get("secret").and_then(Value::as_str) {
        let mut rest = body.as_object().cloned().unwrap_or_default();
        rest.remove("secret");
        if absent(secret, &json::stringify(&Value::object(rest))) {
            for i in &v.issues {
                assert!(!i.message.contains(secret), "secret in issue {i:?}");
                assert!(!i.path.contains(secret), "secret in issue path {i:?}");
            }
        }
    }
}

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    let _ = parse_webhook_response(text).map(|v| json::stringify(&v));
    if let Err(e) = parse_webhook_response(text) {
        json::parse(&json::stringify(&e.to_value())).expect("error JSON parses back");
    }
    let triggers: Vec<String> = vec!["BOOKING_CREATED".into(), "MEETING_ENDED".into()];
    for issue in check_payload_template(text, &triggers) {
        let _ = issue.to_value();
    }

    let Ok(value) = json::parse(text) else {
        return;
    };
    let create = validate_webhook_create(&value);
    check_validation(&create, &value);
    if create.ok {
        let again = validate_webhook_create(&create.value);
        assert!(again.ok, "normalised create body fails: {:?}", again.issues);
        assert_eq!(
            json::stringify(&again.value),
            json::stringify(&create.value)
        );
    }
    let update = validate_webhook_update(&value);
    check_validation(&update, &value);
    if update.ok {
        let again = validate_webhook_update(&update.value);
        assert!(again.ok, "normalised update body fails: {:?}", again.issues);
        assert_eq!(
            json::stringify(&again.value),
            json::stringify(&update.value)
        );
    }

    // A request, read from the input as the wasm binding does.
    let s = |k: &str| value.get(k).and_then(Value::as_str);
    let body = value.get("body").filter(|b| !b.is_null());
    let scope = WebhookScope::parse(s("scope").unwrap_or("user"), s("scopeId"));
    let ops = match s("op") {
        Some(op) => vec![WebhookOp::parse(op)],
        None => ["list", "create", "get", "update", "delete"]
            .iter()
            .map(|o| WebhookOp::parse(o))
            .collect(),
    };
    let Ok(scope) = scope else {
        return;
    };
    for op in ops.into_iter().flatten() {
        for key in [Some(API_KEY), s("apiKey")].into_iter().flatten() {
            // Only meaningful when the key is not also in the URL or body.
            let secret_ok = absent(key.trim(), text);
            match webhook_request(op, &scope, s("webhookId"), body, key, s("baseUrl")) {
                Ok(req) => {
                    let debug = format!("{req:?}");
                    let k = key.trim();
                    if secret_ok {
                        assert!(!debug.contains(k), "API key in Debug: {debug}");
                    }
                    // The scheme is case-insensitive (`hTtps://` is fine for fetch).
                    assert!(
                        req.url.to_ascii_lowercase().starts_with("http"),
                        "{}",
                        req.url
                    );
                    assert!(
                        !req.url.chars().any(|c| c.is_whitespace() || c.is_control()),
                        "{:?}",
                        req.url
                    );
                    if let Some(b) = &req.body {
                        json::parse(b).expect("request body is JSON");
                    }
                    let _ = json::stringify(&req.to_value());
                }
                Err(e) => {
                    let detail = json::stringify(&e.to_value());
                    json::parse(&detail).expect("error JSON parses back");
                    let k = key.trim();
                    if secret_ok {
                        assert!(!e.message.contains(k), "API key in error: {}", e.message);
                        assert!(!detail.contains(k), "API key in error detail: {detail}");
                    }
                }
            }
        }
    }
});
