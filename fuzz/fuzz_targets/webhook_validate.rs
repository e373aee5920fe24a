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
//! - a built request's URL is http(s) and has no whitespace or control characters;
//! - `is_private_host` gives every WHATWG spelling of an IPv4 address (`127.1`, `0x7f000001`,
//!   `2130706433`, octal parts, ...) the verdict of its dotted form (address from the first
//!   four input bytes).
#![no_main]

use calhook::json::{self, Value};
use calhook::webhook::{
    check_payload_template, is_private_host, parse_webhook_response, validate_webhook_create,
    validate_webhook_update, webhook_request, WebhookOp, WebhookScope, WebhookValidation,
};
use libfuzzer_sys::fuzz_target;

const API_KEY: &str = "cal_live_0123456789abcdef";

/// Whether `needle` is long enough to be meaningful and appears nowhere in `haystack`.
fn absent(needle: &str, haystack: &str) -> bool {
    needle.len() >= 8 && !haystack.contains(needle)
}

fn check_validation(
    v: &WebhookValidation,
    body: &Value,
    validate: fn(&Value) -> WebhookValidation,
) {
    let text = json::stringify(&v.to_value());
    json::parse(&text).expect("validation JSON parses back");
    assert_eq!(v.ok, v.errors().next().is_none());
    // The secret must never be echoed in a message. A message that contains it must be fixed
    // text: the same issue, validated with another secret of the same length, contains it too.
    let Some(secret) = body.get("secret").and_then(Value::as_str) else {
        return;
    };
    let mut rest = body.as_object().cloned().unwrap_or_default();
    rest.remove("secret");
    let other: String = "#".repeat(secret.chars().count());
    if !absent(secret, &json::stringify(&Value::object(rest.clone()))) || secret == other {
        return;
    }
    rest.insert("secret", Value::string(other.as_str()));
    let v2 = validate(&Value::object(rest.clone()));
    for i in &v.issues {
        if i.message.contains(secret) || i.path.contains(secret) {
            let fixed_text = v2.issues.iter().any(|j| {
                j.code == i.code
                    && j.path == i.path
                    && (j.message.contains(secret) || j.path.contains(secret))
            });
            assert!(fixed_text, "secret in issue {i:?}");
        }
    }
}

/// Every spelling of an IPv4 address that WHATWG URL parsing (fetch, Node's `URL`, so
/// Cal.com's sender) maps to the same address must get the same private-host verdict.
fn check_ipv4_spellings(input: &[u8]) {
    let Some(b) = input.get(..4) else {
        return;
    };
    let [a, b, c, d] = [b[0], b[1], b[2], b[3]];
    let n = u32::from_be_bytes([a, b, c, d]);
    let dotted = format!("{a}.{b}.{c}.{d}");
    let private = is_private_host(&dotted);
    for host in [
        format!("{dotted}."),
        n.to_string(),
        format!("0x{n:x}"),
        format!("0X{n:X}"),
        format!("0{n:o}"),
        format!("{a}.{b}.{}", u32::from(c) * 256 + u32::from(d)),
        format!("{a}.{}", n & 0x00ff_ffff),
        format!("0x{a:x}.0x{b:x}.0x{c:x}.0x{d:x}"),
        format!("0{a:o}.0{b:o}.0{c:o}.0{d:o}"),
        format!("::ffff:{dotted}"),
    ] {
        assert_eq!(
            is_private_host(&host),
            private,
            "{host:?} is {dotted}, private: {private}"
        );
    }
}

fuzz_target!(|input: &[u8]| {
    check_ipv4_spellings(input);
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
    check_validation(&create, &value, validate_webhook_create);
    if create.ok {
        let again = validate_webhook_create(&create.value);
        assert!(again.ok, "normalised create body fails: {:?}", again.issues);
        assert_eq!(
            json::stringify(&again.value),
            json::stringify(&create.value)
        );
    }
    let update = validate_webhook_update(&value);
    check_validation(&update, &value, validate_webhook_update);
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
