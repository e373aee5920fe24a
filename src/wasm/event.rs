//! Bindings for [`crate::event`] and [`crate::webhook`].

use super::{js_error, js_error_with_detail};
use crate::event::{self, EnvelopeShape, EventError, ParseEventOptions};
use crate::json::{self, Value};
use crate::webhook::{self, WebhookError, WebhookOp, WebhookScope};
use wasm_bindgen::prelude::*;

fn event_error(err: &EventError) -> JsValue {
    js_error_with_detail(err.code.as_str(), &err.message, Some(&err.to_json()))
}

fn webhook_error(err: &WebhookError) -> JsValue {
    let detail = json::stringify(&err.to_value());
    js_error_with_detail(err.code.as_str(), &err.message, Some(&detail))
}

fn parse_json_arg(what: &str, text: &str) -> Result<Value, JsValue> {
    json::parse(text).map_err(|e| js_error("INVALID_ARGUMENT", &format!("{what}: {e}")))
}

/// Options as the JS layer sends them: `{strict, nowMs, maxAgeMs, maxFutureMs, maxBytes}`; the
/// replay window applies only when `nowMs` is present.
fn parse_options(options_json: &str) -> Result<ParseEventOptions, JsValue> {
    Ok(ParseEventOptions::from_value(&parse_json_arg(
        "options",
        options_json,
    )?))
}

/// `parseEvent` for a byte body, for a caller that holds the body's text: when JS `JSON.parse`
/// of the body gives exactly the event's values and the body is an envelope (not the legacy
/// flat shape), returns only `{"known","shape","warnings"}` and the caller takes
/// `triggerEvent`, `createdAt` and `payload` from its own parse of the body; otherwise returns
/// `{"event": {...}}` with the whole event. Saves stringifying the whole event here and
/// copying it across the boundary.
#[wasm_bindgen]
pub fn parse_event_meta(body: &[u8], options_json: &str) -> Result<String, JsValue> {
    event_meta(body, &parse_options(options_json)?)
}

/// [`parse_event_meta`] of the `len` bytes JS wrote into the input buffer (see
/// [`super::input`]); `options_json` absent for the defaults.
#[wasm_bindgen]
pub fn parse_event_input(len: usize, options_json: Option<String>) -> Result<String, JsValue> {
    let options = input_options(options_json.as_deref())?;
    super::input::with_input(len, |body| event_meta(body, &options))
}

/// The verdict of [`event::fast_meta`] on the `len` bytes of the input buffer, as bits: `0`
/// when unsure (the caller must then call [`parse_event_input`]), else `1`, plus `2` when the
/// trigger is known, plus `4` for the FORM_SUBMITTED root-copy shape. A number rather than
/// JSON text: the common case then costs one validation pass and no result decoding.
/// `encoded`: JS wrote the bytes with `TextEncoder.encodeInto` from a well-formed string, so
/// they are UTF-8 and the whole-body UTF-8 check is skipped ([`event::fast_meta_utf8`]).
/// `options_json` absent for the defaults (no string crosses on the common path).
#[wasm_bindgen]
pub fn check_event_input(
    len: usize,
    options_json: Option<String>,
    encoded: bool,
) -> Result<u32, JsValue> {
    let options = input_options(options_json.as_deref())?;
    let check = if encoded {
        event::fast_meta_utf8
    } else {
        event::fast_meta
    };
    Ok(super::input::with_input(len, |body| {
        match check(body, &options) {
            None => 0,
            Some((known, shape)) => {
                1 | u32::from(known) << 1 | u32::from(shape == EnvelopeShape::FormRootCopy) << 2
            }
        }
    }))
}

fn input_options(options_json: Option<&str>) -> Result<ParseEventOptions, JsValue> {
    match options_json {
        None => Ok(ParseEventOptions::default()),
        Some(text) => parse_options(text),
    }
}

fn event_meta(body: &[u8], options: &ParseEventOptions) -> Result<String, JsValue> {
    if let Some((known, shape)) = event::fast_meta(body, options) {
        return Ok(event::parse::meta_json(known, shape, &[]));
    }
    let (event, round_trips) =
        event::parse::parse_event_checked(body, options).map_err(|e| event_error(&e))?;
    Ok(if round_trips && event.shape != EnvelopeShape::LegacyFlat {
        event::parse::meta_json(event.known, event.shape, &event.warnings)
    } else {
        event.wrapped_json()
    })
}

/// The idempotency key of an event given as JSON `{triggerEvent, createdAt, payload}`.
#[wasm_bindgen]
pub fn event_key(event_json: &str) -> Result<String, JsValue> {
    let v = parse_json_arg("event", event_json)?;
    let text = |k: &str| v.get(k).and_then(Value::as_str);
    let (Some(trigger_event), Some(created_at)) = (text("triggerEvent"), text("createdAt")) else {
        return Err(js_error(
            "INVALID_ARGUMENT",
            "eventKey needs an event with string triggerEvent and createdAt (the result of parseEvent).",
        ));
    };
    // The key reads only these three parts: no `Event` (no copies of the payload or strings).
    let null = Value::Null;
    let payload = v.get("payload").unwrap_or(&null);
    Ok(event::event_key_of(trigger_event, created_at, payload))
}

/// A realistic sample event body for `trigger`, deep-merged with `overrides` (JSON or empty).
#[cfg_attr(feature = "tools", wasm_bindgen)]
pub fn sample_payload(trigger: &str, overrides_json: &str) -> Result<String, JsValue> {
    let overrides = if overrides_json.is_empty() {
        None
    } else {
        Some(parse_json_arg("overrides", overrides_json)?)
    };
    event::sample_payload(trigger, overrides.as_ref())
        .map(|v| json::stringify(&v))
        .map_err(|e| event_error(&e))
}

/// JSON Schema of one trigger's event, or of every event when `trigger` is absent.
#[cfg_attr(feature = "tools", wasm_bindgen)]
pub fn event_json_schema(trigger: Option<String>) -> Result<String, JsValue> {
    event::json_schema(trigger.as_deref())
        .map(|v| json::stringify(&v))
        .map_err(|e| event_error(&e))
}

/// The template variables of a trigger in a dialect's form, as JSON.
#[cfg_attr(feature = "tools", wasm_bindgen)]
pub fn template_variables(trigger: &str, dialect: &str) -> Result<String, JsValue> {
    let dialect = super::template::parse_dialect(dialect)?;
    event::template_variables_in(trigger, dialect)
        .map(|vars| json::stringify(&Value::array(vars.iter().map(|v| v.to_value()).collect())))
        .map_err(|e| event_error(&e))
}

/// Validate a webhook create (`update == false`) or update request body given as JSON.
#[cfg_attr(feature = "tools", wasm_bindgen)]
pub fn validate_webhook(input_json: &str, update: bool) -> Result<String, JsValue> {
    let input = parse_json_arg("input", input_json)?;
    let result = if update {
        webhook::validate_webhook_update_with(&input, super::url::read_url)
    } else {
        webhook::validate_webhook_create_with(&input, super::url::read_url)
    };
    Ok(json::stringify(&result.to_value()))
}

/// Build a management API request from `{op, scope, scopeId, webhookId, body, baseUrl}` and
/// the API key (kept out of the JSON so it never sits in an error's text).
#[cfg_attr(feature = "tools", wasm_bindgen)]
pub fn webhook_request(input_json: &str, api_key: &str) -> Result<String, JsValue> {
    let input = parse_json_arg("input", input_json)?;
    let text = |k: &str| input.get(k).and_then(Value::as_str);
    let op = WebhookOp::parse(text("op").unwrap_or("")).map_err(|e| webhook_error(&e))?;
    let scope = WebhookScope::parse(text("scope").unwrap_or("user"), text("scopeId"))
        .map_err(|e| webhook_error(&e))?;
    let body = input.get("body").filter(|b| !b.is_null());
    webhook::request::webhook_request_with(
        op,
        &scope,
        text("webhookId"),
        body,
        api_key,
        text("baseUrl"),
        super::url::read_url,
    )
    .map(|r| json::stringify(&r.to_value()))
    .map_err(|e| webhook_error(&e))
}

/// The `data` of a `{status, data}` management response text, as JSON.
#[cfg_attr(feature = "tools", wasm_bindgen)]
pub fn parse_webhook_response(text: &str) -> Result<String, JsValue> {
    webhook::parse_webhook_response(text)
        .map(|v| json::stringify(&v))
        .map_err(|e| webhook_error(&e))
}

/// When to retry after `failed_attempts` failures (the reference's schedule), or `None`.
/// The count arrives as a double so that no conversion can wrap (`2**32 + 1` is not 1).
#[cfg_attr(feature = "tools", wasm_bindgen)]
pub fn next_retry_at(
    failed_attempts: f64,
    last_attempt_at_ms: f64,
) -> Result<Option<f64>, JsValue> {
    webhook::try_next_retry_at(failed_attempts, last_attempt_at_ms)
        .map_err(|e| js_error(e.code(), e.message()))
}
