//! HTTP requests for the webhook management endpoints of API v2, and their responses.
//!
//! The core builds `{method, url, headers, body}`; the caller (JS `fetch`) sends it. Bodies are
//! validated first. The API key is only ever put in the `Authorization` header: it never
//! appears in errors or in `Debug` output.

use super::host::{self, ReadUrl};
use super::validate::{validate_webhook_create_with, validate_webhook_update_with, WebhookIssue};
use crate::json::{self, Object, Value};
use std::fmt;

/// Default API base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.cal.com";

/// Stable error codes of the webhook-management domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WebhookErrorCode {
    /// The API key is missing or empty.
    MissingApiKey,
    /// The API key contains characters that cannot go in an HTTP header.
    InvalidApiKey,
    /// The base URL is not an absolute https URL without credentials, query or fragment, written
    /// as a WHATWG URL parser reads it.
    InvalidBaseUrl,
    /// A scope or webhook id that URL parsing would read as path syntax (`.` or `..`).
    InvalidId,
    /// The scope needs an id (event type, organization, OAuth client) and none was given.
    MissingScopeId,
    /// get/update/delete without a webhook id.
    MissingWebhookId,
    /// create/update without a body, or the body has errors (see `issues`).
    InvalidBody,
    /// list/get/delete with a body.
    UnexpectedBody,
    /// An operation name that is not list/create/get/update/delete.
    UnknownOperation,
    /// A scope name that is not user/eventType/organization/oauthClient.
    UnknownScope,
    /// A response that is not JSON.
    NotJson,
    /// A JSON response without the `{status, data}` envelope.
    InvalidResponse,
    /// The API answered `{status: "error", error}`.
    ApiError,
}

impl WebhookErrorCode {
    /// The code string: `MISSING_API_KEY`, `INVALID_BODY`, ...
    pub fn as_str(&self) -> &'static str {
        use WebhookErrorCode::*;
        match self {
            MissingApiKey => "MISSING_API_KEY",
            InvalidApiKey => "INVALID_API_KEY",
            InvalidBaseUrl => "INVALID_BASE_URL",
            InvalidId => "INVALID_ID",
            MissingScopeId => "MISSING_SCOPE_ID",
            MissingWebhookId => "MISSING_WEBHOOK_ID",
            InvalidBody => "INVALID_BODY",
            UnexpectedBody => "UNEXPECTED_BODY",
            UnknownOperation => "UNKNOWN_OPERATION",
            UnknownScope => "UNKNOWN_SCOPE",
            NotJson => "NOT_JSON",
            InvalidResponse => "INVALID_RESPONSE",
            ApiError => "API_ERROR",
        }
    }
}

impl fmt::Display for WebhookErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error of the webhook-management domain.
#[derive(Clone, Debug)]
pub struct WebhookError {
    /// Machine-readable kind.
    pub code: WebhookErrorCode,
    /// Human-readable explanation (never contains the API key).
    pub message: String,
    /// Body issues (errors and warnings) for `INVALID_BODY`.
    pub issues: Vec<WebhookIssue>,
    /// For `API_ERROR`: the API's `error` object as received.
    pub api_error: Option<Value>,
}

impl WebhookError {
    /// What kind of failure this is (`.as_str()` gives the stable string).
    pub fn code(&self) -> WebhookErrorCode {
        self.code
    }

    fn new(code: WebhookErrorCode, message: impl Into<String>) -> WebhookError {
        WebhookError {
            code,
            message: message.into(),
            issues: Vec::new(),
            api_error: None,
        }
    }

    /// `{code, message, issues?, apiError?}` for JS.
    pub fn to_value(&self) -> Value {
        let mut o = Object::new();
        o.insert("code", Value::string(self.code.as_str()));
        o.insert("message", Value::string(self.message.as_str()));
        if !self.issues.is_empty() {
            o.insert(
                "issues",
                Value::array(self.issues.iter().map(WebhookIssue::to_value).collect()),
            );
        }
        if let Some(e) = &self.api_error {
            o.insert("apiError", e.clone());
        }
        Value::object(o)
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for WebhookError {}

/// A management operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookOp {
    /// `GET .../webhooks`
    List,
    /// `POST .../webhooks`
    Create,
    /// `GET .../webhooks/{id}`
    Get,
    /// `PATCH .../webhooks/{id}`
    Update,
    /// `DELETE .../webhooks/{id}`
    Delete,
}

impl WebhookOp {
    /// `list`, `create`, `get`, `update` or `delete`.
    pub fn parse(name: &str) -> Result<WebhookOp, WebhookError> {
        Ok(match name {
            "list" => WebhookOp::List,
            "create" => WebhookOp::Create,
            "get" => WebhookOp::Get,
            "update" => WebhookOp::Update,
            "delete" => WebhookOp::Delete,
            other => {
                let shown: String = other.chars().take(40).collect();
                return Err(WebhookError::new(
                    WebhookErrorCode::UnknownOperation,
                    format!(
                        "Unknown operation \"{shown}\": use list, create, get, update or delete."
                    ),
                ));
            }
        })
    }

    fn method(&self) -> &'static str {
        match self {
            WebhookOp::List | WebhookOp::Get => "GET",
            WebhookOp::Create => "POST",
            WebhookOp::Update => "PATCH",
            WebhookOp::Delete => "DELETE",
        }
    }
}

/// Whose webhooks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WebhookScope {
    /// The API key's user: `/v2/webhooks`.
    User,
    /// One event type: `/v2/event-types/{id}/webhooks`.
    EventType(String),
    /// An organization: `/v2/organizations/{id}/webhooks`.
    Organization(String),
    /// A platform OAuth client: `/v2/oauth-clients/{id}/webhooks`.
    OAuthClient(String),
}

impl WebhookScope {
    /// From `user` / `eventType` / `organization` / `oauthClient` and the id those need.
    pub fn parse(kind: &str, id: Option<&str>) -> Result<WebhookScope, WebhookError> {
        let need = |what: &str| -> Result<String, WebhookError> {
            match id.map(str::trim) {
                Some(id) if !id.is_empty() => Ok(id.to_string()),
                _ => Err(WebhookError::new(
                    WebhookErrorCode::MissingScopeId,
                    format!("The {what} scope needs an id."),
                )),
            }
        };
        Ok(match kind {
            "user" => WebhookScope::User,
            "eventType" => WebhookScope::EventType(need("eventType")?),
            "organization" => WebhookScope::Organization(need("organization")?),
            "oauthClient" => WebhookScope::OAuthClient(need("oauthClient")?),
            other => {
                let shown: String = other.chars().take(40).collect();
                return Err(WebhookError::new(
                    WebhookErrorCode::UnknownScope,
                    format!("Unknown scope \"{shown}\": use user, eventType, organization or oauthClient."),
                ));
            }
        })
    }

    fn collection_path(&self) -> Result<String, WebhookError> {
        let id = |id: &str, what: &str| -> Result<String, WebhookError> {
            let id = id.trim();
            if id.is_empty() {
                Err(WebhookError::new(
                    WebhookErrorCode::MissingScopeId,
                    format!("The {what} scope needs an id."),
                ))
            } else {
                path_segment(id, what)
            }
        };
        Ok(match self {
            WebhookScope::User => "/v2/webhooks".to_string(),
            WebhookScope::EventType(i) => {
                format!("/v2/event-types/{}/webhooks", id(i, "eventType")?)
            }
            WebhookScope::Organization(i) => {
                format!("/v2/organizations/{}/webhooks", id(i, "organization")?)
            }
            WebhookScope::OAuthClient(i) => {
                format!("/v2/oauth-clients/{}/webhooks", id(i, "oauthClient")?)
            }
        })
    }
}

/// An HTTP request ready to send. `Debug` hides the `Authorization` header and the body's
/// `secret`.
#[derive(Clone, PartialEq)]
pub struct WebhookRequest {
    /// `GET`, `POST`, `PATCH` or `DELETE`.
    pub method: &'static str,
    /// Absolute URL.
    pub url: String,
    /// Header name/value pairs.
    pub headers: Vec<(String, String)>,
    /// JSON text for create/update.
    pub body: Option<String>,
}

impl fmt::Debug for WebhookRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                if k.eq_ignore_ascii_case("authorization") {
                    (k.as_str(), "Bearer [redacted]")
                } else {
                    (k.as_str(), v.as_str())
                }
            })
            .collect();
        f.debug_struct("WebhookRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field(
                "body",
                &self
                    .body
                    .as_deref()
                    .map(super::redact::json_text_without_secret),
            )
            .finish()
    }
}

impl WebhookRequest {
    /// `{method, url, headers: {name: value}, body: string | null}` for JS `fetch`.
    pub fn to_value(&self) -> Value {
        let mut headers = Object::new();
        for (k, v) in &self.headers {
            headers.insert(k.as_str(), Value::string(v.as_str()));
        }
        let mut o = Object::new();
        o.insert("method", Value::string(self.method));
        o.insert("url", Value::string(self.url.as_str()));
        o.insert("headers", Value::object(headers));
        o.insert(
            "body",
            self.body.as_deref().map_or(Value::Null, Value::string),
        );
        Value::object(o)
    }
}

/// Build the request for `op` on `scope`'s webhooks.
///
/// `webhook_id` is needed for get/update/delete; `body` for create/update (validated with
/// [`validate_webhook_create`](crate::webhook::validate_webhook_create) /
/// [`validate_webhook_update`](crate::webhook::validate_webhook_update); errors fail with `INVALID_BODY`,
/// warnings do not block, and the normalised body is sent). `base_url` defaults to
/// [`DEFAULT_BASE_URL`].
pub fn webhook_request(
    op: WebhookOp,
    scope: &WebhookScope,
    webhook_id: Option<&str>,
    body: Option<&Value>,
    api_key: &str,
    base_url: Option<&str>,
) -> Result<WebhookRequest, WebhookError> {
    webhook_request_with(
        op,
        scope,
        webhook_id,
        body,
        api_key,
        base_url,
        host::read_url,
    )
}

/// [`webhook_request`] reading the base URL and a body's `subscriberUrl` with `read` (the wasm
/// build passes the runtime's WHATWG `URL`).
pub fn webhook_request_with(
    op: WebhookOp,
    scope: &WebhookScope,
    webhook_id: Option<&str>,
    body: Option<&Value>,
    api_key: &str,
    base_url: Option<&str>,
    read: ReadUrl,
) -> Result<WebhookRequest, WebhookError> {
    let key = check_api_key(api_key)?;
    let base = check_base_url(base_url.unwrap_or(DEFAULT_BASE_URL), read)?;
    let mut url = format!("{base}{}", scope.collection_path()?);

    if matches!(op, WebhookOp::Get | WebhookOp::Update | WebhookOp::Delete) {
        match webhook_id.map(str::trim) {
            Some(id) if !id.is_empty() => {
                url.push('/');
                url.push_str(&path_segment(id, "webhook")?);
            }
            _ => {
                return Err(WebhookError::new(
                    WebhookErrorCode::MissingWebhookId,
                    format!("`{}` needs the webhook id (a UUID).", op.method()),
                ))
            }
        }
    }

    let body_text = match op {
        WebhookOp::Create | WebhookOp::Update => {
            let Some(body) = body.filter(|b| !b.is_null()) else {
                return Err(WebhookError::new(
                    WebhookErrorCode::InvalidBody,
                    "create and update need a body.",
                ));
            };
            let check = if op == WebhookOp::Create {
                validate_webhook_create_with(body, read)
            } else {
                validate_webhook_update_with(body, read)
            };
            if !check.ok {
                let first = check
                    .errors()
                    .next()
                    .map_or(String::new(), |i| i.message.clone());
                let count = check.errors().count();
                let mut e = WebhookError::new(
                    WebhookErrorCode::InvalidBody,
                    format!(
                        "The webhook body has {count} error{}: {first}",
                        if count == 1 { "" } else { "s" }
                    ),
                );
                e.issues = check.issues;
                return Err(e);
            }
            Some(json::stringify(&check.value))
        }
        _ => {
            if body.is_some_and(|b| !b.is_null()) {
                return Err(WebhookError::new(
                    WebhookErrorCode::UnexpectedBody,
                    format!("`{}` takes no body.", op.method()),
                ));
            }
            None
        }
    };

    let mut headers = vec![
        ("Authorization".to_string(), format!("Bearer {key}")),
        ("Accept".to_string(), "application/json".to_string()),
    ];
    if body_text.is_some() {
        headers.push(("Content-Type".to_string(), "application/json".to_string()));
    }
    Ok(WebhookRequest {
        method: op.method(),
        url,
        headers,
        body: body_text,
    })
}

fn check_api_key(api_key: &str) -> Result<&str, WebhookError> {
    let mut key = api_key.trim();
    if key.len() > 7
        && key
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("bearer "))
    {
        key = key.get(7..).unwrap_or("").trim_start();
    }
    if key.is_empty() {
        return Err(WebhookError::new(
            WebhookErrorCode::MissingApiKey,
            "No API key: pass a Cal.com API key (cal_live_… / cal_test_…).",
        ));
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(WebhookError::new(
            WebhookErrorCode::InvalidApiKey,
            "The API key contains whitespace, control or non-ASCII characters and cannot be sent in a header.",
        ));
    }
    Ok(key)
}

/// The base URL as sent: read by `read` (WHATWG URL), it must be `https`, have a host, no
/// credentials, query or fragment, and be written the way the parser reads it (ASCII case and
/// trailing slashes aside). So `https://evil.example\\.api.cal.com` (host `evil.example`) or a
/// fullwidth or percent-encoded spelling cannot look like one host and send the key to another.
fn check_base_url(base: &str, read: ReadUrl) -> Result<String, WebhookError> {
    let trimmed = base.trim().trim_end_matches('/');
    let shown = host::shown_url(base);
    let invalid = |why: String| {
        Err(WebhookError::new(
            WebhookErrorCode::InvalidBaseUrl,
            format!("The base URL should be like {DEFAULT_BASE_URL}, got \"{shown}\": {why}"),
        ))
    };
    let Some(parts) = read(trimmed) else {
        return invalid("it is not an absolute URL.".into());
    };
    if parts.scheme != "https" {
        return invalid(format!(
            "it must be https (the API key travels in it), not {}.",
            parts.scheme
        ));
    }
    if parts.has_credentials {
        return invalid("it must not contain a username or password.".into());
    }
    let href = parts.href.trim_end_matches('/');
    if href.contains(['?', '#']) {
        return invalid("it must not have a query or fragment.".into());
    }
    if !href.eq_ignore_ascii_case(trimmed) {
        let read_as: String = href.chars().take(120).collect();
        return invalid(format!(
            "a URL parser reads it as {read_as} (host {}); write it in that form.",
            parts.host
        ));
    }
    Ok(href.to_string())
}

/// A path segment: percent-encoded (RFC 3986 unreserved characters stay), and never `.` or
/// `..`, which URL parsing (and `fetch`) would resolve as path syntax, reaching another
/// endpoint. (`%2e` is no escape: WHATWG URL reads it as a dot too, so such ids are refused.)
fn path_segment(id: &str, what: &str) -> Result<String, WebhookError> {
    if id == "." || id == ".." {
        return Err(WebhookError::new(
            WebhookErrorCode::InvalidId,
            format!(
                "The {what} id \"{id}\" would be read as path syntax; ids are UUIDs or numbers."
            ),
        ));
    }
    Ok(encode_segment(id))
}

/// Percent-encode a path segment (RFC 3986 unreserved characters stay as they are).
fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Parse a management response: `{status: "success", data}` → `data`;
/// `{status: "error", error}` → `API_ERROR` (message from `error.message`); anything else →
/// `NOT_JSON` / `INVALID_RESPONSE`.
pub fn parse_webhook_response(text: &str) -> Result<Value, WebhookError> {
    let value = json::parse(text).map_err(|e| {
        WebhookError::new(
            WebhookErrorCode::NotJson,
            format!(
                "The response is not JSON: {}.",
                e.message_utf16(text.as_bytes())
            ),
        )
    })?;
    webhook_response_data(&value)
}

/// [`parse_webhook_response`] for an already parsed response.
pub fn webhook_response_data(value: &Value) -> Result<Value, WebhookError> {
    match value.get("status").and_then(Value::as_str) {
        Some("success") => Ok(value.get("data").cloned().unwrap_or(Value::Null)),
        Some("error") => {
            let error = value.get("error").cloned().unwrap_or(Value::Null);
            let message = error
                .get("message")
                .and_then(Value::as_str)
                .or_else(|| error.as_str())
                .map(|m| m.chars().take(500).collect::<String>())
                .unwrap_or_else(|| "no message".to_string());
            let code = error
                .get("code")
                .and_then(Value::as_str)
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            let mut e = WebhookError::new(
                WebhookErrorCode::ApiError,
                format!("Cal.com API error{code}: {message}"),
            );
            e.api_error = Some(error);
            Err(e)
        }
        _ => Err(WebhookError::new(
            WebhookErrorCode::InvalidResponse,
            "The response is not the API v2 envelope {status: \"success\" | \"error\", data}.",
        )),
    }
}
