//! Validation of webhook create/update request bodies (API v2), collecting every issue.
//!
//! Errors are what Cal.com (or the reference) rejects; warnings are what it accepts but what
//! will not work as intended (a private subscriber URL, a trigger that is never sent...).

use crate::event::{trigger, TemplateData};
use crate::json::{Object, Value};
/// How serious an issue is: the linter's scale (webhook issues are errors or warnings).
pub use crate::template::Severity;
use std::fmt;

pub use crate::event::WEBHOOK_VERSION;

/// Secrets shorter than this get a `WEAK_SECRET` warning.
pub const MIN_SECRET_LEN: usize = 16;

/// Stable codes of webhook-configuration issues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

/// The result of [`validate_webhook_create`] / [`validate_webhook_update`].
#[derive(Clone, Debug)]
pub struct WebhookValidation {
    /// No error-severity issue.
    pub ok: bool,
    /// The normalised body: known fields first in API order (`active` defaulted to `true` on
    /// create), then unknown fields as given.
    pub value: Value,
    /// Every issue, errors and warnings.
    pub issues: Vec<WebhookIssue>,
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
    validate(body, true)
}

/// Validate an update body (`PATCH .../webhooks/{id}`): every field optional, at least one
/// present, same rules. `active` is **not** defaulted here: adding `active: true` to a PATCH
/// would re-enable a disabled webhook.
pub fn validate_webhook_update(body: &Value) -> WebhookValidation {
    validate(body, false)
}

struct Ctx {
    issues: Vec<WebhookIssue>,
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

fn validate(body: &Value, create: bool) -> WebhookValidation {
    let mut cx = Ctx { issues: Vec::new() };
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
            check_payload_template_into(src, &trigger_names, &mut cx.issues);
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

    // unknown fields
    let mut any_known = false;
    for (key, value) in input.iter() {
        if KNOWN_FIELDS.contains(&key) {
            any_known = true;
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
                "An update needs at least one of {}.",
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
        if names.iter().any(|n| n == name) {
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
    let Some(parsed) = split_url(url) else {
        let shown: String = url.chars().take(80).collect();
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
    if is_private_host(&parsed.host) {
        cx.warn(
            path,
            WebhookIssueCode::PrivateHost,
            format!(
                "`subscriberUrl` points to the private or local host \"{}\": Cal.com refuses it. \
                 Use a public URL (a tunnel such as ngrok or cloudflared during development).",
                parsed.host
            ),
        );
    }
}

/// The parts of a URL the checks need.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UrlParts {
    /// Lowercase scheme: `http` or `https`.
    pub scheme: String,
    /// Lowercase host without port or brackets.
    pub host: String,
}

/// Split an absolute `http(s)://` URL; `None` when it is not one (no host, whitespace, other
/// scheme).
pub(crate) fn split_url(url: &str) -> Option<UrlParts> {
    if url.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        let (inside, after) = v6.split_once(']')?;
        if !(after.is_empty() || after.starts_with(':')) {
            return None;
        }
        inside
    } else {
        match host_port.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            Some(_) => return None,
            None => host_port,
        }
    };
    if host.is_empty() {
        return None;
    }
    Some(UrlParts {
        scheme,
        host: host.trim_end_matches('.').to_ascii_lowercase(),
    })
}

/// The IPv4 address a host names under WHATWG URL parsing (what `fetch` and `new URL` do):
/// one to four dot-separated numbers, each decimal, `0x` hex or `0`-prefixed octal, the last
/// one filling the remaining bytes (`127.1`, `0x7f000001`, `2130706433` and `0177.0.0.1` are
/// all 127.0.0.1). `None` when the host is not such a number.
fn whatwg_ipv4(host: &str) -> Option<std::net::Ipv4Addr> {
    let parts: Vec<&str> = host.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let mut numbers = Vec::with_capacity(parts.len());
    for part in &parts {
        let (digits, radix) =
            if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
                (hex, 16)
            } else if let Some(octal) = part.strip_prefix('0').filter(|o| !o.is_empty()) {
                (octal, 8)
            } else {
                (*part, 10)
            };
        if part.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let n = if digits.is_empty() {
            0
        } else {
            u64::from_str_radix(digits, radix).ok()?
        };
        numbers.push(n);
    }
    let (last, init) = numbers.split_last()?;
    if init.iter().any(|&n| n > 255) || *last >= 1u64 << (8 * (5 - numbers.len())) {
        return None;
    }
    let mut addr = *last;
    for (i, n) in init.iter().enumerate() {
        addr += n << (8 * (3 - i));
    }
    Some(std::net::Ipv4Addr::from(u32::try_from(addr).ok()?))
}

/// True for hosts Cal.com refuses as not public: `localhost`, `*.local`, `*.internal`,
/// `*.localhost`, loopback/private/link-local/unspecified IPv4 (127/8, 10/8, 172.16/12,
/// 192.168/16, 169.254/16, 0/8, in every spelling a URL accepts: `127.1`, `2130706433`, `0x7f.1`)
/// and IPv6 (`::1`, `::`, `fc00::/7`, `fe80::/10`).
pub fn is_private_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
    {
        return true;
    }
    if let Some(v4) = whatwg_ipv4(&host) {
        let [a, b, _, _] = v4.octets();
        return a == 127
            || a == 10
            || a == 0
            || (a == 172 && (16..=31).contains(&b))
            || (a == 192 && b == 168)
            || (a == 169 && b == 254);
    }
    if let Ok(v6) = host.parse::<std::net::Ipv6Addr>() {
        if let Some(v4) = v6.to_ipv4_mapped() {
            return is_private_host(&v4.to_string());
        }
        let first = v6.segments()[0];
        return v6.is_loopback()
            || v6.is_unspecified()
            || (first & 0xfe00) == 0xfc00
            || (first & 0xffc0) == 0xfe80;
    }
    false
}

/// Check a payload template against the subscribed `triggers`, returning issues at path
/// `payloadTemplate`.
///
/// - Compiles it with the Handlebars engine ([`crate::template::compile`], Cal.com dialect):
///   a syntax error is an error, because the real sender throws and sends nothing (the
///   reference's own `{{payload.attendees[0].email}}` is one).
/// - Warns when `payload.…` paths are used with booking-style (flat-data) triggers, where they
///   render empty, and when a top-level `{{name}}` is not a variable of any subscribed trigger.
/// - Warns when the template is not JSON: the body then goes out form-urlencoded.
pub fn check_payload_template(src: &str, triggers: &[String]) -> Vec<WebhookIssue> {
    let mut issues = Vec::new();
    check_payload_template_into(src, triggers, &mut issues);
    issues
}

fn check_payload_template_into(src: &str, triggers: &[String], issues: &mut Vec<WebhookIssue>) {
    use crate::template::{compile, CompileOptions, Dialect, TemplateErrorCode};
    let mut push = |code, severity, message: String| {
        issues.push(WebhookIssue {
            path: "payloadTemplate".into(),
            code,
            message,
            severity,
        })
    };
    if src.trim().is_empty() {
        return; // empty counts as no template
    }
    let infos: Vec<&'static crate::event::TriggerInfo> =
        triggers.iter().filter_map(|t| trigger(t)).collect();
    let all_known = !triggers.is_empty() && infos.len() == triggers.len();
    let flat = infos.iter().any(|t| t.template_data == TemplateData::Flat);

    // The reference's `name[0]` index compiles only in the reference dialect: the webhook is
    // created, but the real sender's handlebars throws and sends nothing. A warning naming the
    // difference (never a rejection); the other checks run on the reference's reading.
    let reference = CompileOptions {
        dialect: Dialect::Reference,
        ..CompileOptions::default()
    };
    let compiled = compile(src, &CompileOptions::default()).or_else(|e| match compile(src, &reference) {
        Ok(template) => {
            let at = e
                .span
                .map(|s| position_text(src, &s))
                .unwrap_or_default();
            push(
                WebhookIssueCode::ReferenceIndexSyntax,
                Severity::Warning,
                format!(
                    "The template uses the API reference's `name[0]` index{at}, which the Cal.com sender's \
                     Handlebars cannot compile: it would send nothing for this webhook. Write indexes as \
                     `.0` or `.[0]` (`attendees.0.email`)."
                ),
            );
            Ok(template)
        }
        Err(_) => Err(e),
    });
    match compiled {
        Err(e) => {
            let at = e.span.map(|s| position_text(src, &s)).unwrap_or_default();
            let code = match e.code {
                TemplateErrorCode::Limit => WebhookIssueCode::TemplateLimit,
                TemplateErrorCode::Unsupported => WebhookIssueCode::TemplateUnsupported,
                _ => WebhookIssueCode::TemplateSyntax,
            };
            push(
                code,
                Severity::Error,
                format!(
                    "The template does not compile{at}: {}. Cal.com would fail to render it and send nothing.",
                    e.message.trim_end_matches('.')
                ),
            );
        }
        Ok(template) => {
            let uses_payload = template
                .variables()
                .iter()
                .any(|v| v == "payload" || v.starts_with("payload."));
            if flat && uses_payload {
                push(
                    WebhookIssueCode::TemplatePayloadPrefix,
                    Severity::Warning,
                    "The template uses `payload.…` paths, but booking-style triggers render against the \
                     payload's fields directly (`{{uid}}`, `{{organizer.name}}`): `{{payload.uid}}` renders empty there."
                        .into(),
                );
            }
            let is_json = crate::json::parse(src).is_ok_and(|v| v.is_truthy());
            for info in &infos {
                let data = template_data(info);
                match template.render(&data) {
                    Err(e) => {
                        push(
                            WebhookIssueCode::TemplateRender,
                            Severity::Error,
                            format!(
                                "Rendering the template with a sample {} event fails: {}. Cal.com would throw and send nothing.",
                                info.name,
                                e.message.trim_end_matches('.')
                            ),
                        );
                        break;
                    }
                    Ok(out) => {
                        let body = out.replace("&quot;", "\"");
                        if is_json && crate::json::parse(&body).is_err() {
                            push(
                                WebhookIssueCode::TemplateInvalidOutput,
                                Severity::Warning,
                                format!(
                                    "With a sample {} event the rendered template is not valid JSON, so Cal.com sends the body `false`. \
                                     Values containing quotes, newlines or other escapes break JSON strings.",
                                    info.name
                                ),
                            );
                            break;
                        }
                    }
                }
            }
            if all_known {
                for name in top_level_variables(template.ast()) {
                    let root = name.split('.').next().unwrap_or("");
                    if flat && uses_payload && root == "payload" {
                        continue; // already reported
                    }
                    if !infos.iter().any(|t| knows_variable(t, &name)) {
                        push(
                            WebhookIssueCode::TemplateUnknownVariable,
                            Severity::Warning,
                            format!(
                                "`{{{{{name}}}}}` is not a variable of {}: it renders empty unless the sender adds it.",
                                triggers.join(", ")
                            ),
                        );
                    }
                }
            }
        }
    }
    match crate::json::parse(src) {
        Ok(v) if v.is_truthy() => {}
        _ => push(
            WebhookIssueCode::TemplateNotJson,
            Severity::Warning,
            "The template is not JSON, so Cal.com sends the rendered text as is with Content-Type \
             application/x-www-form-urlencoded (a JSON template needs every mustache inside a string, \
             e.g. \"{{title}}\", or a valid JSON literal around it)."
                .into(),
        ),
    }
}

/// ` (line L, column C)` for a template span, the column in UTF-16 code units (the message
/// reaches JS, which indexes strings so).
fn position_text(src: &str, span: &crate::template::Span) -> String {
    let start = span.start.min(src.len());
    let before = src.get(..start).unwrap_or(src);
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let column = before
        .get(line_start..)
        .map_or(0, |l| l.encode_utf16().count())
        + 1;
    format!(" (line {}, column {column})", span.line)
}

/// The data Cal.com renders templates against, for a sample event of `info`.
fn template_data(info: &crate::event::TriggerInfo) -> Value {
    let payload = crate::event::sample::sample_data(info);
    let created = Value::string(crate::event::sample::SAMPLE_CREATED_AT);
    let mut data = match info.template_data {
        TemplateData::Flat => payload.as_object().cloned().unwrap_or_default(),
        TemplateData::Nested => {
            let mut o = Object::new();
            o.insert("payload", payload);
            o
        }
    };
    data.insert("triggerEvent", Value::string(info.name));
    data.insert("createdAt", created);
    Value::object(data)
}

/// Plain `{{a.b}}` variables at the top level of a template (not inside blocks, where paths are
/// relative to the block's context), without helpers, `@data` or `../`.
fn top_level_variables(program: &crate::template::ast::Program) -> Vec<String> {
    use crate::template::ast::{Expr, Statement};
    let mut out: Vec<String> = Vec::new();
    for stmt in &program.body {
        let Statement::Mustache(m) = stmt else {
            continue;
        };
        let Expr::Path(p) = &m.call.head else {
            continue;
        };
        let helper = matches!(
            p.parts.first().map(String::as_str),
            Some(
                "each"
                    | "if"
                    | "unless"
                    | "with"
                    | "log"
                    | "lookup"
                    | "helperMissing"
                    | "blockHelperMissing"
            )
        );
        if m.call.params.is_empty() && m.call.hash.is_empty() && !p.data && p.depth == 0 && !helper
        {
            let name = p.parts.join(".");
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// Whether `name` (a dotted path) starts with a variable the trigger's template data has.
fn knows_variable(info: &crate::event::TriggerInfo, name: &str) -> bool {
    let mut parts = name.split('.');
    let root = parts.next().unwrap_or("");
    if matches!(root, "triggerEvent" | "createdAt") {
        return true;
    }
    let described = info.shape.groups.iter().any(|g| !g.is_empty());
    match info.template_data {
        TemplateData::Flat => !described || info.shape.field(root).is_some(),
        TemplateData::Nested => {
            root == "payload"
                && (!described || parts.next().map_or(true, |f| info.shape.field(f).is_some()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let p = split_url("https://user:pw@Example.COM:8443/x?y#z");
        assert_eq!(
            p,
            Some(UrlParts {
                scheme: "https".into(),
                host: "example.com".into()
            })
        );
        assert_eq!(
            split_url("http://[::1]:3000/").map(|p| p.host),
            Some("::1".into())
        );
        assert!(split_url("ftp://x.test/").is_none());
        assert!(split_url("https:///path").is_none());
        assert!(split_url("https://a b.test/").is_none());
        assert!(split_url("example.com/hook").is_none());
    }

    #[test]
    fn private_hosts() {
        for h in [
            "localhost",
            "api.localhost",
            "printer.local",
            "svc.internal",
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            // Other IPv4 spellings URL parsing accepts (found by fuzz/webhook_validate:
            // 168450826 is 10.10.91.10).
            "168450826",
            "127.1",
            "0x7f000001",
            "0X7F.0.0.1",
            "2130706433",
            "0177.0.0.1",
            "10.1",
            "192.168.257",
            "0xa9.0xfe.0xa9.0xfe",
            "0x",
        ] {
            assert!(is_private_host(h), "{h}");
        }
        for h in [
            "example.com",
            "172.32.0.1",
            "8.8.8.8",
            "2001:db8::1",
            "local.example.com",
            "134744072",
            "8.0x8.2056",
            "1.2.3.4.5",
            "127.0.0.256",
            "4294967296",
            "09.0.0.1",
            "1e3",
            "0x1g",
        ] {
            assert!(!is_private_host(h), "{h}");
        }
    }
}
