//! Webhook configuration through Cal.com API v2: validation of create/update bodies
//! ([`validate_webhook_create`], [`validate_webhook_update`]), requests for every management
//! endpoint ([`webhook_request`], [`parse_webhook_response`]) and the documented retry schedule
//! ([`next_retry_at`]).

pub mod host;
mod payload_template;
mod redact;
pub mod request;
pub mod retry;
pub mod validate;

pub use host::{classify_host, is_private_host, HostClass, ReadUrl, UrlParts};
pub use request::{
    parse_webhook_response, webhook_request, webhook_response_data, WebhookError, WebhookErrorCode,
    WebhookOp, WebhookRequest, WebhookScope, DEFAULT_BASE_URL,
};
pub use retry::{next_retry_at, try_next_retry_at, RetryError, RETRY_SCHEDULE_MS};
pub use validate::{
    check_payload_template, validate_webhook_create, validate_webhook_create_with,
    validate_webhook_update, validate_webhook_update_with, Severity, WebhookIssue,
    WebhookIssueCode, WebhookValidation, WEBHOOK_VERSION,
};
