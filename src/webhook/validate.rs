//! Validation of webhook create/update request bodies (API v2), collecting every issue.
//!
//! Errors are what Cal.com (or the reference) rejects; warnings are what it accepts but what
//! will not work as intended (a private subscriber URL, a trigger that is never sent...).

use super::host::{self, ReadUrl};
use crate::event::trigger;
use crate::json::{Object, RunMap, Value};
/// How serious an issue is: the linter's scale (webhook issues are errors or warnings).
pub use crate::lint::Severity;
use std::fmt;

pub use crate::event::WEBHOOK_VERSION;

/// Secrets shorter than this get a `WEAK_SECRET` warning.
pub const MIN_SECRET_LEN: usize = 16;

/// Stable codes of webhook-configuration issues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WebhookIssueCode {
    /// The body is not a JSON object.
    NotObject,
    /// A required field is missing (or null).
    Required,
    /// A field has the wrong JSON type.
    WrongType,
    /// `subscriberUrl` is not an absolute http(s) URL.
    InvalidUrl,
    /// `subscriberUrl` is not HTTPS (warning: Cal.com refuses it).
    InsecureUrl,
    /// `subscriberUrl` points to a private/local host (warning: Cal.com refuses it).
    PrivateHost,
    /// `triggers` is an empty array.
    EmptyTriggers,
    /// A trigger name that does not exist.
    UnknownTrigger,
    /// A trigger that exists but cannot be subscribed to (`PING`).
    NotSubscribable,
    /// A trigger listed twice.
    DuplicateTrigger,
    /// A trigger the current sender never emits (warning; `BOOKING_CONFIRMED`).
    NeverEmitted,
    /// `secret` is empty or short (warning).
    WeakSecret,
    /// `version` is not `"2021-10-20"`.
    InvalidVersion,
    /// A field the API does not define (warning).
    UnknownField,
    /// An update body without any field.
    NoFields,
    /// `payloadTemplate` cannot compile (the sender would throw and send nothing).
    TemplateSyntax,
    /// `payloadTemplate` is not JSON, so bodies go out form-urlencoded (warning).
    TemplateNotJson,
    /// `payloadTemplate` uses `payload.` paths that render empty for flat triggers (warning).
    TemplatePayloadPrefix,
    /// `payloadTemplate` exceeds the engine's size or nesting limits.
    TemplateLimit,
    /// `payloadTemplate` uses a Handlebars feature Cal.com cannot run (partials, decorators).
    TemplateUnsupported,
    /// `payloadTemplate` reads a top-level variable no subscribed trigger has (warning).
    TemplateUnknownVariable,
    /// Rendering `payloadTemplate` with a sample event throws (missing partial or helper...).
    TemplateRender,
    /// `payloadTemplate` is JSON but renders to invalid JSON with a sample event (warning).
    TemplateInvalidOutput,
    /// `payloadTemplate` uses the API reference's `name[0]` index, which compiles only in the
    /// reference dialect: the real sender would send nothing (warning: the API accepts it).
    ReferenceIndexSyntax,
    /// A create body without `active`: optional in the API reference (default true), required
    /// by the current API; the normalized body adds `active: true` (warning).
    ReferenceActiveOptional,
}

impl WebhookIssueCode {
    /// The code string: `REQUIRED`, `INSECURE_URL`, ...
    pub fn as_str(&self) -> &'static str {
        use WebhookIssueCode::*;
        match self {
            NotObject => "NOT_OBJECT",
            Required => "REQUIRED",
            WrongType => "WRONG_TYPE",
            InvalidUrl => "INVALID_URL",
            InsecureUrl => "INSECURE_URL",
            PrivateHost => "PRIVATE_HOST",
            EmptyTriggers => "EMPTY_TRIGGERS",
            UnknownTrigger => "UNKNOWN_TRIGGER",
            NotSubscribable => "NOT_SUBSCRIBABLE",
            DuplicateTrigger => "DUPLICATE_TRIGGER",
            NeverEmitted => "NEVER_EMITTED",
            WeakSecret => "WEAK_SECRET",
            InvalidVersion => "INVALID_VERSION",
            UnknownField => "UNKNOWN_FIELD",
            NoFields => "NO_FIELDS",
            TemplateSyntax => "TEMPLATE_SYNTAX",
            TemplateNotJson => "TEMPLATE_NOT_JSON",
            TemplatePayloadPrefix => "TEMPLATE_PAYLOAD_PREFIX",
            TemplateLimit => "TEMPLATE_LIMIT",
            TemplateUnsupported => "TEMPLATE_UNSUPPORTED",
            TemplateUnknownVariable => "TEMPLATE_UNKNOWN_VARIABLE",
            TemplateRender => "TEMPLATE_RENDER",
            TemplateInvalidOutput => "TEMPLATE_INVALID_OUTPUT",
            ReferenceIndexSyntax => "REFERENCE_INDEX_SYNTAX",
            ReferenceActiveOptional => "REFERENCE_ACTIVE_OPTIONAL",
        }
    }
}

impl fmt::Display for WebhookIssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding about a webhook configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookIssue {
    /// Where: `subscriberUrl`, `triggers[2]`, ...
    pub path: String,
    /// What kind of problem.
    pub code: WebhookIssueCode,
    /// Human-readable explanation (never contains the secret).
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
}

impl WebhookIssue {
    /// `{path, code, message, severity}` for JS.
    pub fn to_value(&self) -> Value {
        let mut o = Object::new();
        o.insert("path", Value::string(self.path.as_str()));
        o.insert("code", Value::string(self.code.as_str()));
        o.insert("message", Value::string(self.message.as_str()));
        o.insert("severity", Value::string(self.severity.as_str()));
        Value::object(o)
    }
}

/// The result of [`validate_webhook_create`] / [`validate_webhook_update`]. `Debug` shows
/// the value's `secret` as `"[redacted]"`.
#[derive(Clone)]
pub struct WebhookValidation {
    /// No error-severity issue.
    pub ok: bool,
    /// The normalised body: known fields first in API order (`active` defaulted to `true` on
    /// create), then unknown fields as given.
    pub value: Value,
    /// Every issue, errors and warnings.
    pub issues: Vec<WebhookIssue>,
}

impl std::fmt::Debug for WebhookValidation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookValidation")
            .field("ok", &self.ok)
            .field("value", &super::redact::without_secret(&self.value))
            .field("issues", &self.issues)
            .finish()
    }
}

impl WebhookValidation {
    /// `{ok, value, issues}` for JS.
    pub fn to_value(&self) -> Value {
        let mut o = Object::new();
        o.insert("ok", Value::Bool(self.ok));
        o.insert("value", self.value.clone());
        o.insert(
            "issues",
            Value::array(self.issues.iter().map(WebhookIssue::to_value).collect()),
        );
        Value::object(o)
    }

    /// The error-severity issues only.
    pub fn errors(&self) -> impl Iterator<Item = &WebhookIssue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }
}

const KNOWN_FIELDS: &[&str] = &[
    "subscriberUrl",
    "triggers",
    "active",
    "payloadTemplate",
    "secret",
    "version",
];

/// Validate a create body (`POST .../webhooks`). `subscriberUrl` and `triggers` are required;
/// `active` defaults to `true` and is always present in the normalised value (the current API
/// DTO requires it, the reference says it is optional).
pub fn validate_webhook_create(body: &Value) -> WebhookValidation {
    validate(body, true, host::read_url)
}

/// [`validate_webhook_create`] reading `subscriberUrl` with `read` (the wasm build passes the
/// runtime's WHATWG `URL`).
pub fn validate_webhook_create_with(body: &Value, read: ReadUrl) -> WebhookValidation {
    validate(body, true, read)
}

/// Validate an update body (`PATCH .../webhooks/{id}`): every field optional, at least one
/// present, same rules. `active` is **not** defaulted here: adding `active: true` to a PATCH
/// would re-enable a disabled webhook.
pub fn validate_webhook_update(body: &Value) -> WebhookValidation {
    validate(body, false, host::read_url)
}

/// [`validate_webhook_update`] reading `subscriberUrl` with `read`.
pub fn validate_webhook_update_with(body: &Value, read: ReadUrl) -> WebhookValidation {
    validate(body, false, read)
}

struct Ctx {
    issues: Vec<WebhookIssue>,
    read: ReadUrl,
}

impl Ctx {
    fn push(&mut self, path: &str, code: WebhookIssueCode, severity: Severity, message: String) {
        self.issues.push(WebhookIssue {
            path: path.to_string(),
            code,
            message,
            severity,
        });
    }
    fn error(&mut self, path: &str, code: WebhookIssueCode, message: String) {
        self.push(path, code, Severity::Error, message);
    }
    fn warn(&mut self, path: &str, code: WebhookIssueCode, message: String) {
        self.push(path, code, Severity::Warning, message);
    }
    fn wrong_type(&mut self, path: &str, expected: &str, got: &Value) {
        self.error(
            path,
            WebhookIssueCode::WrongType,
            format!("`{path}` should be {expected}, got {}.", got.type_name()),
        );
    }
}

fn validate(body: &Value, create: bool, read: ReadUrl) -> WebhookValidation {
    let mut cx = Ctx {
        issues: Vec::new(),
        read,
    };
    let Some(input) = body.as_object() else {
        cx.error(
            "",
            WebhookIssueCode::NotObject,
            format!(
                "The webhook body should be an object, got {}.",
                body.type_name()
            ),
        );
        return WebhookValidation {
            ok: false,
            value: body.clone(),
            issues: cx.issues,
        };
    };
    let mut out = Object::new();
    let present = |k: &str| input.get(k).filter(|v| !v.is_null());

    // subscriberUrl
    match present("subscriberUrl") {
        None if create => cx.error(
            "subscriberUrl",
            WebhookIssueCode::Required,
            "`subscriberUrl` is required: the URL Cal.com posts events to.".into(),
        ),
        None => {}
        Some(Value::String(url)) => {
            check_subscriber_url(url, &mut cx);
            out.insert("subscriberUrl", Value::String(url.clone()));
        }
        Some(other) => cx.wrong_type("subscriberUrl", "a string", other),
    }

    // triggers
    let mut trigger_names: Vec<String> = Vec::new();
    match present("triggers") {
        None if create => cx.error(
            "triggers",
            WebhookIssueCode::Required,
            "`triggers` is required: a non-empty array of trigger names such as \"BOOKING_CREATED\"."
                .into(),
        ),
        None => {}
        Some(Value::Array(items)) => {
            check_triggers(items, &mut cx, &mut trigger_names);
            out.insert("triggers", Value::Array(items.clone()));
        }
        Some(other) => cx.wrong_type("triggers", "an array of trigger names", other),
    }

    // active
    match present("active") {
        None => {
            if create {
                // The reference's form (optional, default true) is accepted and normalised;
                // the current API's DTO requires the field, so the difference is named.
                cx.warn(
                    "active",
                    WebhookIssueCode::ReferenceActiveOptional,
                    "`active` is missing: the API reference makes it optional (default true), but the current \
                     Cal.com API requires it. The normalized body (and webhookRequest) sends `\"active\": true`."
                        .into(),
                );
                out.insert("active", Value::Bool(true));
            }
        }
        Some(Value::Bool(b)) => out.insert("active", Value::Bool(*b)),
        Some(other) => cx.wrong_type("active", "a boolean", other),
    }

    // payloadTemplate (null allowed: no template)
    match input.get("payloadTemplate") {
        None => {}
        Some(Value::Null) => out.insert("payloadTemplate", Value::Null),
        Some(Value::String(src)) => {
            super::payload_template::check_into(src, &trigger_names, &mut cx.issues);
            out.insert("payloadTemplate", Value::String(src.clone()));
        }
        Some(other) => cx.wrong_type("payloadTemplate", "a string or null", other),
    }

    // secret
    match present("secret") {
        None => {}
        Some(Value::String(secret)) => {
            let len = secret.chars().count();
            if len == 0 {
                cx.warn(
                    "secret",
                    WebhookIssueCode::WeakSecret,
                    "`secret` is empty: Cal.com then sends `no-secret-provided` instead of a signature, \
                     and nothing can be verified."
                        .into(),
                );
            } else if len < MIN_SECRET_LEN {
                cx.warn(
                    "secret",
                    WebhookIssueCode::WeakSecret,
                    format!(
                        "`secret` is {len} characters long; use at least {MIN_SECRET_LEN} random characters \
                         (32+ recommended)."
                    ),
                );
            }
            out.insert("secret", Value::String(secret.clone()));
        }
        Some(other) => cx.wrong_type("secret", "a string", other),
    }

    // version
    match present("version") {
        None => {}
        Some(Value::String(v)) if &**v == WEBHOOK_VERSION => {
            out.insert("version", Value::String(v.clone()))
        }
        Some(Value::String(v)) => {
            let shown: String = v.chars().take(40).collect();
            cx.error(
                "version",
                WebhookIssueCode::InvalidVersion,
                format!("`version` must be \"{WEBHOOK_VERSION}\" (the only version defined), got \"{shown}\"."),
            )
        }
        Some(other) => cx.wrong_type(
            "version",
            &format!("the string \"{WEBHOOK_VERSION}\""),
            other,
        ),
    }

    // A known field counts when it is given with a non-null value, or when it made it into the
    // value (`payloadTemplate: null` removes the template). Otherwise `null` means "not given"
    // (as the API's validators read it), so `{ active: null }` is no field at all (and the
    // normalised value validates again to itself), while `{ active: "no" }` is a field of the
    // wrong type, reported as such and not also as an empty update.
    let any_known = KNOWN_FIELDS
        .iter()
        .any(|k| present(k).is_some() || out.contains_key(k));

    // unknown fields
    for (key, value) in input.iter() {
        if KNOWN_FIELDS.contains(&key) {
            continue;
        }
        let shown: String = key.chars().take(60).collect();
        cx.warn(
            &crate::event::validate::join_path("", key),
            WebhookIssueCode::UnknownField,
            format!(
                "Unknown field \"{shown}\": the API defines {}.",
                KNOWN_FIELDS.join(", ")
            ),
        );
        out.insert(key, value.clone());
    }
    if !create && !any_known {
        cx.error(
            "",
            WebhookIssueCode::NoFields,
            format!(
                "An update needs at least one of {} (a null value counts as not given).",
                KNOWN_FIELDS.join(", ")
            ),
        );
    }

    let ok = !cx.issues.iter().any(|i| i.severity == Severity::Error);
    WebhookValidation {
        ok,
        value: Value::object(out),
        issues: cx.issues,
    }
}

fn check_triggers(items: &[Value], cx: &mut Ctx, names: &mut Vec<String>) {
    // An ordered set: wasm32 std's `RandomState` is seeded from addresses (collidable).
    let mut seen = RunMap::new();
    if items.is_empty() {
        cx.error(
            "triggers",
            WebhookIssueCode::EmptyTriggers,
            "`triggers` is empty: the webhook would never fire.".into(),
        );
    }
    for (i, item) in items.iter().enumerate() {
        let path = format!("triggers[{i}]");
        let Some(name) = item.as_str() else {
            cx.wrong_type(&path, "a trigger name (string)", item);
            continue;
        };
        if seen.get_or_insert(name, ()).is_some() {
            cx.error(
                &path,
                WebhookIssueCode::DuplicateTrigger,
                format!("\"{name}\" is listed more than once."),
            );
            continue;
        }
        names.push(name.to_string());
        match trigger(name) {
            None => {
                let shown: String = name.chars().take(60).collect();
                let hint = trigger(&name.trim().to_ascii_uppercase())
                    .map(|t| format!(" Did you mean \"{}\"?", t.name))
                    .unwrap_or_default();
                cx.error(
                    &path,
                    WebhookIssueCode::UnknownTrigger,
                    format!("Unknown trigger \"{shown}\".{hint}"),
                );
            }
            Some(t) if !t.subscribable => cx.error(
                &path,
                WebhookIssueCode::NotSubscribable,
                format!("\"{}\" cannot be subscribed to: {}", t.name, t.description),
            ),
            Some(t) if !t.emitted => cx.warn(
                &path,
                WebhookIssueCode::NeverEmitted,
                format!(
                    "\"{}\" is in the API reference but the Cal.com sender never emits it. {}",
                    t.name, t.description
                ),
            ),
            Some(_) => {}
        }
    }
}

fn check_subscriber_url(url: &str, cx: &mut Ctx) {
    let path = "subscriberUrl";
    let parsed = (cx.read)(url).filter(|p| p.scheme == "http" || p.scheme == "https");
    let Some(parsed) = parsed else {
        let shown = host::shown_url(url);
        cx.error(
            path,
            WebhookIssueCode::InvalidUrl,
            format!("`subscriberUrl` should be an absolute http(s) URL such as https://example.com/webhooks/cal, got \"{shown}\"."),
        );
        return;
    };
    if parsed.scheme != "https" {
        cx.warn(
            path,
            WebhookIssueCode::InsecureUrl,
            "`subscriberUrl` is not HTTPS: Cal.com refuses it (\"only HTTPS URLs to public hosts are permitted\"), \
             and the body would travel unencrypted."
                .into(),
        );
    }
    if let host::HostClass::Special(why) = host::classify_host(&parsed.host) {
        let shown: String = parsed.host.chars().take(80).collect();
        cx.warn(
            path,
            WebhookIssueCode::PrivateHost,
            format!(
                "`subscriberUrl` points to the private or local host \"{shown}\" ({why}), as `fetch` reads the URL: \
                 Cal.com refuses it. Use a public URL (a tunnel such as ngrok or cloudflared during development)."
            ),
        );
    }
}

/// Check a payload template against the subscribed `triggers`, returning issues at path
/// `payloadTemplate`.
///
/// The static checks are the payload-template linter's ([`crate::lint::lint_template`], per
/// subscribed trigger), summarised:
/// - a syntax error is an error, because the real sender throws and sends nothing; the
///   reference's own `{{payload.attendees[0].email}}` index is a warning (the API accepts it);
/// - `payload.…` paths with booking-style (flat-data) triggers, where they render empty, and
///   paths that are not variables of any subscribed trigger, are warnings.
///
/// A sample event of each trigger is rendered (a render that throws is an error, a JSON
/// template rendering invalid JSON a warning), and a template that is not JSON is a warning:
/// the body then goes out form-urlencoded.
pub fn check_payload_template(src: &str, triggers: &[String]) -> Vec<WebhookIssue> {
    let mut issues = Vec::new();
    super::payload_template::check_into(src, triggers, &mut issues);
    issues
}
