//! Bindings for [`crate::delivery`].

use super::js_error;
use super::template::{parse_data, parse_dialect, template_error};
use crate::delivery::{self, DeliveryError, DeliveryInput};
use crate::json::{self, Object, Value};
use crate::template::Dialect;
use wasm_bindgen::prelude::*;

/// `buildDelivery`: `request_json` is `{triggerEvent, createdAt, template, secret, version,
/// dialect, subscriberUrl}` (nulls for absent), `payload_json` the payload. Returns
/// `{method, url?, headers: {name: value}, body, contentType, notes}` as JSON; throws the
/// template error (with its span) or `EMPTY_BODY`, `MISSING_URL`, `PAYLOAD_NOT_OBJECT`,
/// `PAYLOAD_SHAPE`, `JSON_LIMIT` where Cal.com would send nothing.
#[wasm_bindgen]
pub fn build_delivery(request_json: &str, payload_json: &str) -> Result<String, JsValue> {
    let request = json::parse(request_json)
        .map_err(|e| js_error("INVALID_ARGUMENT", &format!("delivery request: {e}")))?;
    let text = |key: &str| request.get(key).and_then(Value::as_str).map(str::to_string);
    let dialect = match request.get("dialect").and_then(Value::as_str) {
        Some(name) => parse_dialect(name)?,
        None => Dialect::Calcom,
    };
    let input = DeliveryInput {
        trigger_event: text("triggerEvent").unwrap_or_default(),
        created_at: text("createdAt").unwrap_or_default(),
        payload: parse_data(payload_json)?,
        template: text("template"),
        secret: text("secret"),
        version: text("version"),
        dialect,
        subscriber_url: text("subscriberUrl"),
    };
    match delivery::build_delivery(&input) {
        Ok(d) => {
            let mut headers = Object::new();
            for (name, value) in &d.headers {
                headers.insert(name.as_str(), Value::string(value.as_str()));
            }
            let mut out = Object::new();
            out.insert("method", Value::string(d.method));
            if let Some(url) = &d.url {
                out.insert("url", Value::string(url.as_str()));
            }
            out.insert("headers", Value::object(headers));
            out.insert("body", Value::string(d.body.as_str()));
            out.insert("contentType", Value::string(d.content_type));
            let notes = d.notes.iter().map(|n| Value::string(n.as_str())).collect();
            out.insert("notes", Value::array(notes));
            Ok(json::stringify(&Value::object(out)))
        }
        Err(DeliveryError::Template(e)) => {
            Err(template_error(input.template.as_deref().unwrap_or(""), &e))
        }
        Err(e) => Err(js_error(e.code(), &e.message())),
    }
}
