//! Bindings for [`crate::template`], [`crate::delivery`] and the template linter.
//!
//! Spans leave Rust as byte offsets and reach JS as UTF-16 code units (what JS strings index),
//! with the column counted in UTF-16 units too, so an editor can highlight them directly.

use super::{js_error, js_error_with_detail};
use crate::delivery::{self, Attendees, DeliveryInput, TemplateCache, UtcOffsets};
use crate::json::{self, Object, Value};
use crate::lint::{self, Diagnostic, LintOptions};
use crate::signature::Verifier;
use crate::template::{self, excerpt, CompileOptions, Dialect, Span, Template, TemplateError};
use wasm_bindgen::prelude::*;

/// Byte offsets → UTF-16 offsets and line starts of one source, built once in O(n), so that
/// mapping many spans (the diagnostics of a huge template) costs O(log n) each rather than a
/// rescan of the text per span.
pub(crate) struct SourceIndex<'s> {
    source: &'s str,
    /// UTF-16 units before byte `CHUNK * i`.
    checkpoints: Vec<usize>,
    /// Byte offsets just after each `\n` or `\r`.
    line_starts: Vec<usize>,
}

const CHUNK: usize = 256;

/// UTF-16 units a UTF-8 byte starts: 1 for a leading byte, 2 for a 4-byte sequence's, 0 for a
/// continuation byte. Summed over any char-boundary prefix, this is its UTF-16 length.
fn utf16_weight(b: u8) -> usize {
    match b {
        0x80..=0xBF => 0,
        0xF0..=0xFF => 2,
        _ => 1,
    }
}

impl<'s> SourceIndex<'s> {
    pub(crate) fn new(source: &'s str) -> Self {
        let bytes = source.as_bytes();
        let mut checkpoints = Vec::with_capacity(bytes.len() / CHUNK + 1);
        let mut line_starts = Vec::new();
        let mut units = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if i % CHUNK == 0 {
                checkpoints.push(units);
            }
            units += utf16_weight(b);
            if b == b'\n' || b == b'\r' {
                line_starts.push(i + 1);
            }
        }
        checkpoints.push(units);
        SourceIndex {
            source,
            checkpoints,
            line_starts,
        }
    }

    /// Byte offset → UTF-16 offset (clamped to a char boundary).
    pub(crate) fn utf16(&self, byte: usize) -> usize {
        let mut byte = byte.min(self.source.len());
        while !self.source.is_char_boundary(byte) {
            byte -= 1;
        }
        let block = byte / CHUNK;
        let base = self.checkpoints.get(block).copied().unwrap_or(0);
        let rest = self
            .source
            .as_bytes()
            .get(block * CHUNK..byte)
            .unwrap_or(&[]);
        base + rest.iter().map(|&b| utf16_weight(b)).sum::<usize>()
    }

    /// Byte offset where the line holding `byte` starts (after the last `\n`/`\r` before it).
    fn line_start(&self, byte: usize) -> usize {
        let at = self.line_starts.partition_point(|&s| s <= byte);
        at.checked_sub(1)
            .and_then(|i| self.line_starts.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// A span as JS sees it: `[line, column, start, end]`, the column and offsets in UTF-16
    /// units.
    fn span_numbers(&self, span: &Span) -> [usize; 4] {
        let start = self.utf16(span.start);
        let line_start = self.line_start(span.start.min(self.source.len()));
        let column = start - self.utf16(line_start) + 1;
        [span.line, column, start, self.utf16(span.end)]
    }

    /// A span as JS sees it: `{ line, column, start, end }` in UTF-16 units.
    pub(crate) fn span_value(&self, span: &Span) -> Value {
        let mut o = Object::new();
        for (key, n) in SPAN_KEYS.iter().zip(self.span_numbers(span)) {
            o.insert(*key, Value::Number(n as f64));
        }
        Value::object(o)
    }
}

/// The keys of a span as JS sees it, in the order of [`SourceIndex::span_numbers`].
const SPAN_KEYS: [&str; 4] = ["line", "column", "start", "end"];

/// A span of `source` as JS sees it (see [`SourceIndex::span_value`]); for one span.
pub(crate) fn span_value(source: &str, span: &Span) -> Value {
    SourceIndex::new(source).span_value(span)
}

/// The `detail` of an error with a span of `source`: `{"span":{"line":…,"column":…,"start":…,
/// "end":…}}`, what `json::stringify` gives for [`span_value`] in an object, written
/// straight (the value tree and its stringify cost more wasm than this error path is worth).
/// Every number is an integer below 2^32, which `JSON.stringify` writes as its plain digits.
#[cold]
#[inline(never)]
fn span_detail(source: &str, span: &Span) -> String {
    let numbers = span_numbers_once(source, span);
    let mut out = String::from("{\"span\":{");
    for (i, (key, n)) in SPAN_KEYS.iter().zip(numbers).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(key);
        out.push_str("\":");
        push_decimal(&mut out, n);
    }
    out.push_str("}}");
    out
}

/// [`SourceIndex::span_numbers`] for one span, by scanning the text once without an index.
fn span_numbers_once(source: &str, span: &Span) -> [usize; 4] {
    let units = |byte: usize| utf16_units(source, byte);
    let before = source
        .as_bytes()
        .get(..span.start.min(source.len()))
        .unwrap_or(&[]);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    let start = units(span.start);
    [
        span.line,
        start - units(line_start) + 1,
        start,
        units(span.end),
    ]
}

/// UTF-16 units of `source` before byte `byte` (clamped to a char boundary); out of line, one
/// copy for a span's three offsets.
#[inline(never)]
fn utf16_units(source: &str, byte: usize) -> usize {
    let mut byte = byte.min(source.len());
    while !source.is_char_boundary(byte) {
        byte -= 1;
    }
    let prefix = source.as_bytes().get(..byte).unwrap_or(&[]);
    prefix.iter().map(|&b| utf16_weight(b)).sum()
}

/// `n` in decimal digits, without `core::fmt`.
fn push_decimal(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// A template error as a thrown JS error with `code` and a `span` detail.
pub(crate) fn template_error(source: &str, err: &TemplateError) -> JsValue {
    let detail = err.span.as_ref().map(|span| span_detail(source, span));
    js_error_with_detail(err.code.as_str(), &err.message, detail.as_deref())
}

fn invalid(message: &str) -> JsValue {
    js_error("INVALID_ARGUMENT", message)
}

/// Parse the JSON options object the JS layer builds.
pub(crate) fn compile_options(options_json: &str) -> Result<CompileOptions, JsValue> {
    let value = json::parse(options_json).map_err(|e| invalid(&e.to_string()))?;
    let mut options = CompileOptions::default();
    if let Some(d) = value.get("dialect").and_then(Value::as_str) {
        options.dialect = parse_dialect(d)?;
    }
    let limit = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_f64)
            .filter(|n| *n >= 0.0)
            .map(|n| n as usize)
    };
    if let Some(n) = limit("maxOutputBytes") {
        options.limits.max_output_bytes = n;
    }
    if let Some(n) = limit("maxNesting") {
        options.limits.max_nesting = n;
    }
    if let Some(n) = limit("maxTemplateBytes") {
        options.limits.max_template_bytes = n;
    }
    Ok(options)
}

pub(crate) fn parse_dialect(name: &str) -> Result<Dialect, JsValue> {
    match name {
        "calcom" => Ok(Dialect::Calcom),
        "reference" => Ok(Dialect::Reference),
        other => {
            // JSON quoting, not `{:?}`: str's Debug pulls Unicode escape tables into the wasm.
            let mut message = String::from("dialect must be \"calcom\" or \"reference\", not ");
            json::write_string(&mut message, other);
            Err(invalid(&message))
        }
    }
}

/// The error for template data that is not JSON: one copy of its formatting, out of line.
#[cold]
#[inline(never)]
fn data_error(e: json::JsonError) -> JsValue {
    js_error("INVALID_ARGUMENT", &format!("template data: {e}"))
}

pub(crate) fn parse_data(data_json: &str) -> Result<Value, JsValue> {
    json::parse(data_json).map_err(data_error)
}

/// A compiled template.
#[wasm_bindgen]
pub struct WasmTemplate {
    source: String,
    template: Template,
}

#[wasm_bindgen]
impl WasmTemplate {
    /// Compile `source`; throws `TEMPLATE_SYNTAX` (with a span) and friends.
    #[wasm_bindgen(constructor)]
    pub fn new(source: String, options_json: &str) -> Result<WasmTemplate, JsValue> {
        let options = compile_options(options_json)?;
        let template =
            template::compile(&source, &options).map_err(|e| template_error(&source, &e))?;
        Ok(WasmTemplate { source, template })
    }

    /// Render with JSON data.
    pub fn render(&self, data_json: &str) -> Result<String, JsValue> {
        if let Some(out) = self.template.try_render_json(data_json) {
            return Ok(out);
        }
        let data = parse_data(data_json)?;
        self.template
            .render(&data)
            .map_err(|e| template_error(&self.source, &e))
    }

    /// Render with the JSON data JS wrote into the input buffer (`len` bytes; see
    /// [`super::input`]): the same as [`WasmTemplate::render`] without a second copy of the text.
    pub fn render_input(&self, len: usize) -> Result<String, JsValue> {
        super::input::with_input(len, |bytes| {
            // Straight from the text when the template and data allow it, else parse and render.
            let text = std::str::from_utf8(bytes).ok();
            if let Some(out) = text.and_then(|t| self.template.try_render_json(t)) {
                return Ok(out);
            }
            let data = json::parse_bytes(bytes).map_err(data_error)?;
            self.template
                .render(&data)
                .map_err(|e| template_error(&self.source, &e))
        })
    }

    /// Render with data in the word form (see [`json::Words`]) that JS wrote into the input
    /// buffer: `text_bytes` bytes of UTF-8 text (`text_units` UTF-16 units in JS), then
    /// `nodes` nodes of three little-endian `u32` words. The output goes into the reused output
    /// buffer (see [`output_view`]): the answer is its length in bytes, or `-1 - length` when
    /// the buffer moved (JS then asks for a new view), or NaN when the words cannot be vouched
    /// for (JS then sends the data as JSON text, [`WasmTemplate::render_input`]).
    pub fn render_words(
        &self,
        text_bytes: usize,
        text_units: usize,
        nodes: usize,
    ) -> Result<f64, JsValue> {
        let words = nodes.saturating_mul(json::NODE_BYTES);
        super::input::with_input(text_bytes.saturating_add(words), |bytes| {
            let (text, words) = bytes.split_at_checked(text_bytes).unwrap_or_default();
            let Ok(text) = std::str::from_utf8(text) else {
                return Ok(f64::NAN);
            };
            OUTPUT.with_borrow_mut(|out| {
                // A huge output of the last call is released now that JS has read it.
                if out.capacity() > KEEP_OUTPUT_BYTES {
                    *out = Vec::new();
                }
                let at = out.as_ptr();
                match self
                    .template
                    .render_words_into(text, text_units, words, out)
                {
                    None => Ok(f64::NAN),
                    Some(Err(e)) => Err(template_error(&self.source, &e)),
                    Some(Ok(())) => {
                        let len = out.len() as f64;
                        Ok(if out.as_ptr() == at { len } else { -1.0 - len })
                    }
                }
            })
        })
    }

    /// What part of the data the template can read, as JSON (`null`: all of it).
    pub fn projection(&self) -> String {
        json::stringify(&self.template.data_projection().to_value())
    }

    /// The variable paths used, as a JSON array.
    pub fn variables(&self) -> String {
        let items = self
            .template
            .variables()
            .into_iter()
            .map(Value::string)
            .collect();
        json::stringify(&Value::array(items))
    }
}

thread_local! {
    /// The output of the last [`WasmTemplate::render_words`], read by JS in place: no string
    /// allocated, copied and freed per render.
    static OUTPUT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Output buffers grown past this are released at the next render.
const KEEP_OUTPUT_BYTES: usize = 1 << 20;

/// A `Uint8Array` over the output buffer (its whole capacity), valid until it moves (a
/// render answers a negative length), wasm memory grows (the view's length reads 0), or the
/// instance is replaced.
#[wasm_bindgen]
pub fn output_view() -> Result<js_sys::Uint8Array, JsValue> {
    OUTPUT.with_borrow(|out| super::input::memory_view(out.as_ptr() as usize, out.capacity()))
}

/// Lint a template; returns JSON `[{severity, code, message, span, fix?}]` with UTF-16 spans
/// and fix ranges (`fix: {start, end, replacement, title}`).
#[cfg_attr(feature = "tools", wasm_bindgen)]
pub fn lint_template(source: &str, options_json: &str) -> Result<String, JsValue> {
    let o = json::parse(options_json).map_err(|e| invalid(&e.to_string()))?;
    let mut options = LintOptions::default();
    if let Some(d) = o.get("dialect").and_then(Value::as_str) {
        options.dialect = parse_dialect(d)?;
    }
    options.trigger = o.get("trigger").and_then(Value::as_str).map(str::to_string);
    let index = SourceIndex::new(source);
    let items = lint::lint_template(source, &options)
        .iter()
        .map(|d| diagnostic_value(&index, d))
        .collect();
    Ok(json::stringify(&Value::array(items)))
}

fn diagnostic_value(index: &SourceIndex<'_>, d: &Diagnostic) -> Value {
    let mut o = Object::new();
    o.insert("severity", Value::string(d.severity.as_str()));
    o.insert("code", Value::string(d.code.as_str()));
    o.insert("message", Value::string(d.message.as_str()));
    o.insert("span", index.span_value(&d.span));
    if let Some(fix) = &d.fix {
        let mut f = Object::new();
        f.insert("start", Value::Number(index.utf16(fix.span.start) as f64));
        f.insert("end", Value::Number(index.utf16(fix.span.end) as f64));
        f.insert("replacement", Value::string(fix.replacement.as_str()));
        f.insert("title", Value::string(fix.title.as_str()));
        o.insert("fix", Value::object(f));
    }
    Value::object(o)
}

thread_local! {
    /// Delivery templates compiled once per source and dialect: Cal.com recompiles on every
    /// delivery, and that compile cost more than everything else a delivery does. A fresh
    /// instance (after a trap) starts with an empty cache.
    static DELIVERY_TEMPLATES: std::cell::RefCell<TemplateCache> =
        std::cell::RefCell::new(TemplateCache::default());
}

/// Build a delivery. `request_json`: `{triggerEvent, createdAt, secret, version, dialect,
/// subscriberUrl, utcOffsets, attendeesChecked?, hostSignsFrom?}`; `template`: the payload
/// template (`""`: none; apart from the JSON, so that it is neither escaped nor parsed per
/// delivery); `payload_json`: the payload (cut by `delivery_projection`'s `checked`
/// projection when `attendeesChecked`).
/// Returns the JSON `{method, url?, headers, contentType, notes}`, a line feed, then the body
/// (JSON text has no raw line feed, so the first one ends it): the body crosses once, not
/// escaped inside JSON. A body of at least `hostSignsFrom` bytes is left unsigned (its
/// `X-Cal-Signature-256` is `null`) for a host with a faster native HMAC.
#[wasm_bindgen]
pub fn build_delivery(
    request_json: &str,
    template: &str,
    payload_json: &str,
) -> Result<String, JsValue> {
    deliver(request_json, template, payload_json.as_bytes())
}

/// [`build_delivery`] with the payload JSON that JS wrote into the input buffer (`len` bytes;
/// see [`super::input`]), without wasm-bindgen's second copy of the text.
#[wasm_bindgen]
pub fn build_delivery_input(
    request_json: &str,
    template: &str,
    len: usize,
) -> Result<String, JsValue> {
    super::input::with_input(len, |bytes| deliver(request_json, template, bytes))
}

/// The delivery of the payload JSON text `payload_json`: straight from the text when the
/// template and payload allow it ([`delivery::build_delivery_body_json`]), else parsed and
/// built the general way (which also reports a payload that is not JSON, before anything else).
fn deliver(request_json: &str, template: &str, payload_json: &[u8]) -> Result<String, JsValue> {
    let request = delivery_request(request_json, template, Value::Null);
    let direct = match (&request, std::str::from_utf8(payload_json)) {
        (Ok(request), Ok(text)) => DELIVERY_TEMPLATES.with_borrow_mut(|cache| {
            delivery::build_delivery_body_json(
                &request.input,
                text,
                &request.offsets,
                request.attendees,
                cache,
            )
        }),
        _ => None,
    };
    let (request, body) = match direct {
        Some(body) => (request?, body),
        None => {
            let payload = json::parse_bytes(payload_json).map_err(data_error)?;
            let mut request = request?;
            request.input.payload = payload;
            let body = DELIVERY_TEMPLATES
                .with_borrow_mut(|cache| {
                    delivery::build_delivery_body(
                        &mut request.input,
                        &request.offsets,
                        request.attendees,
                        cache,
                    )
                })
                .map_err(|e| delivery_error(&e, &request.input))?;
            (request, body)
        }
    };
    let input = &request.input;
    let secret = input.secret.as_deref().filter(|s| !s.is_empty());
    let host_signs = secret.is_some()
        && request
            .host_signs_from
            .is_some_and(|from| body.body.len() >= from);
    // The JSON written straight, as `JSON.stringify` writes this object (keys in this order):
    // building it as a `Value` first cost more wasm than the rest of this function.
    let mut out = String::with_capacity(body.body.len() + 160);
    out.push_str("{\"method\":\"POST\"");
    if let Some(url) = &input.subscriber_url {
        out.push_str(",\"url\":");
        json::write_string(&mut out, url);
    }
    out.push_str(",\"headers\":{\"Content-Type\":");
    json::write_string(&mut out, body.content_type);
    out.push_str(",\"");
    out.push_str(crate::signature::HEADER_NAME);
    out.push_str("\":");
    if host_signs {
        out.push_str("null");
    } else {
        json::write_string(&mut out, &sign(body.body.as_bytes(), secret));
    }
    if let Some(version) = &input.version {
        out.push_str(",\"X-Cal-Webhook-Version\":");
        json::write_string(&mut out, version);
    }
    out.push_str("},\"contentType\":");
    json::write_string(&mut out, body.content_type);
    out.push_str(",\"notes\":[");
    for (i, note) in body.notes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::write_string(&mut out, note);
    }
    out.push_str("]}\n");
    out.push_str(&body.body);
    Ok(out)
}

thread_local! {
    /// The HMAC key state of the last delivery secret: a webhook signs every delivery with one
    /// secret, and deriving the key state costs as much as hashing a short body. Held like a
    /// `Verifier`'s (never printed); a fresh instance starts without it.
    static DELIVERY_SIGNER: std::cell::RefCell<Option<(Vec<u8>, Verifier)>> =
        const { std::cell::RefCell::new(None) };
}

/// [`crate::signature::sign`], with the key state of a repeated secret kept.
fn sign(body: &[u8], secret: Option<&str>) -> String {
    let Some(secret) = secret.map(str::as_bytes).filter(|s| !s.is_empty()) else {
        return crate::signature::sign(body, None);
    };
    DELIVERY_SIGNER.with_borrow_mut(|slot| {
        if let Some((kept, verifier)) = slot.as_ref() {
            if kept.as_slice() == secret {
                return verifier.sign(body);
            }
        }
        match Verifier::new(&[secret]) {
            Ok(verifier) => {
                let signature = verifier.sign(body);
                *slot = Some((secret.to_vec(), verifier));
                signature
            }
            Err(_) => crate::signature::sign(body, Some(secret)),
        }
    })
}

/// The text the sender renders from the template before parsing it as JSON (see
/// [`delivery::render_payload_template`]); the arguments are [`build_delivery`]'s. `None`
/// (JS `undefined`) without a template.
#[wasm_bindgen]
pub fn render_payload_template(
    request_json: &str,
    template: &str,
    payload_json: &str,
) -> Result<Option<String>, JsValue> {
    render_payload(request_json, template, parse_data(payload_json)?)
}

/// [`render_payload_template`] with the payload JSON in the input buffer (`len` bytes).
#[wasm_bindgen]
pub fn render_payload_template_input(
    request_json: &str,
    template: &str,
    len: usize,
) -> Result<Option<String>, JsValue> {
    render_payload(request_json, template, input_data(len)?)
}

fn render_payload(
    request_json: &str,
    template: &str,
    payload: Value,
) -> Result<Option<String>, JsValue> {
    let mut request = delivery_request(request_json, template, payload)?;
    DELIVERY_TEMPLATES
        .with_borrow_mut(|cache| {
            delivery::render_payload_template_body(
                &mut request.input,
                &request.offsets,
                request.attendees,
                cache,
            )
        })
        .map_err(|e| delivery_error(&e, &request.input))
}

/// The JSON data JS wrote into the input buffer, parsed.
fn input_data(len: usize) -> Result<Value, JsValue> {
    super::input::with_input(len, |bytes| json::parse_bytes(bytes).map_err(data_error))
}

/// A delivery request as the JS layer sends it.
struct DeliveryRequest {
    input: DeliveryInput,
    offsets: UtcOffsets,
    attendees: Attendees,
    host_signs_from: Option<usize>,
}

/// The request of a delivery; `template` (`""`: none) comes apart from the JSON.
fn delivery_request(
    request_json: &str,
    template: &str,
    payload: Value,
) -> Result<DeliveryRequest, JsValue> {
    let r = json::parse(request_json).map_err(|e| invalid(&e.to_string()))?;
    let text = |k: &str| request_text(&r, k);
    let dialect = match text("dialect") {
        Some(d) => parse_dialect(&d)?,
        None => Dialect::Calcom,
    };
    let input = DeliveryInput {
        trigger_event: text("triggerEvent").unwrap_or_default(),
        created_at: text("createdAt").unwrap_or_default(),
        payload,
        template: (!template.is_empty()).then(|| template.to_string()),
        secret: text("secret"),
        version: text("version"),
        dialect,
        subscriber_url: text("subscriberUrl"),
    };
    let offsets: UtcOffsets = r
        .get("utcOffsets")
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(zone, v)| (zone.to_string(), v.as_f64().map(|m| m as i32)))
                .collect()
        })
        .unwrap_or_default();
    let attendees = match r.get("attendeesChecked") {
        Some(Value::Bool(true)) => Attendees::Checked,
        _ => Attendees::AsGiven,
    };
    let host_signs_from = r
        .get("hostSignsFrom")
        .and_then(Value::as_f64)
        .filter(|n| *n >= 0.0)
        .map(|n| n as usize);
    Ok(DeliveryRequest {
        input,
        offsets,
        attendees,
        host_signs_from,
    })
}

/// The string member `key` of the request, copied. Out of line: inlined at each of the
/// request's seven string members, it was seven copies of the lookup and the copy.
#[inline(never)]
fn request_text(request: &Value, key: &str) -> Option<String> {
    request.get(key).and_then(Value::as_str).map(str::to_string)
}

/// A delivery error as a JS error; a template error's span is in UTF-16 units of the template.
fn delivery_error(e: &delivery::DeliveryError, input: &DeliveryInput) -> JsValue {
    let source = input.template.as_deref().unwrap_or("");
    let detail = e.span().map(|span| span_detail(source, &span));
    js_error_with_detail(e.code().as_str(), &e.message(), detail.as_deref())
}

/// What part of the payload a delivery can read (see [`delivery::payload_projection`]), as
/// JSON `{"asGiven": projection, "checked": projection}` (`null`: all of it); `checked` is the
/// projection for a payload whose attendees the host checked
/// ([`delivery::payload_projection_checked`]).
#[wasm_bindgen]
pub fn delivery_projection(
    trigger: &str,
    template: &str,
    dialect: &str,
) -> Result<String, JsValue> {
    let dialect = parse_dialect(dialect)?;
    let mut o = Object::new();
    let as_given = delivery::payload_projection(trigger, Some(template), dialect);
    o.insert("asGiven", as_given.to_value());
    let checked = delivery::payload_projection_checked(trigger, Some(template), dialect);
    o.insert("checked", checked.to_value());
    Ok(json::stringify(&Value::object(o)))
}

/// UTF-16 offset → byte offset within `source` (clamped to the end).
fn byte_offset(source: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in source.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    source.len()
}

/// A report of one diagnostic (from `lintTemplate`, or a `CalhookError` with a span) as text:
/// `origin:line:column: severity[CODE]: message`, the source line with carets under the span,
/// and the fix's title as help. `diagnostic_json`: `{severity?, code?, message?, span?:
/// {start, end}, fix?: {title}}` with UTF-16 offsets; the column printed counts UTF-16 units
/// like the spans JS gets.
#[cfg_attr(feature = "tools", wasm_bindgen)]
pub fn format_diagnostic(
    source: &str,
    diagnostic_json: &str,
    origin: Option<String>,
) -> Result<String, JsValue> {
    let d = json::parse(diagnostic_json).map_err(|e| invalid(&e.to_string()))?;
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let offset = |span: &Value, key: &str| {
        span.get(key)
            .and_then(Value::as_f64)
            .filter(|n| n.is_finite() && *n >= 0.0)
            .map(|n| byte_offset(source, n as usize))
    };
    let span = d.get("span").and_then(|s| {
        let start = offset(s, "start")?;
        let end = offset(s, "end").unwrap_or(start);
        let mut span = excerpt::span_at(source, start, end);
        span.column = span_value(source, &span)
            .get("column")
            .and_then(Value::as_f64)
            .map_or(span.column, |c| c as usize);
        Some(span)
    });
    let severity = text(d.get("severity")).unwrap_or_else(|| "error".to_string());
    let code = text(d.get("code")).unwrap_or_default();
    let message = text(d.get("message")).unwrap_or_default();
    let help = text(d.get("fix").and_then(|f| f.get("title")));
    let report = excerpt::Report {
        origin: origin.as_deref(),
        severity: &severity,
        code: &code,
        message: &message,
        span,
        help: help.as_deref(),
    };
    Ok(excerpt::format_report(source, &report))
}
