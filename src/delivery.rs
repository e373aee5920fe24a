//! Emulate a whole Cal.com webhook delivery, byte for byte.
//!
//! Given the trigger, `createdAt`, the payload, the webhook's `payloadTemplate`, secret and
//! version, [`build_delivery`] produces exactly the request Cal.com's sender
//! (`packages/features/webhooks/lib/sendPayload.ts`) would make: method, URL, headers (in
//! Cal.com's order and casing), body and content type — or the error that stops Cal.com from
//! sending anything.
//!
//! The pipeline, as the sender runs it:
//!
//! 1. **Content type**: `application/json` when there is no template (an empty template counts
//!    as none) or `JSON.parse(template)` is truthy; otherwise `application/x-www-form-urlencoded`
//!    ([`content_type_for`]).
//! 2. **Payload preparation** (booking-style triggers only, see [`is_generic_trigger`]; and only
//!    for "event" payloads, i.e. not `{oooEntry}` and not `{message, bookingUid}`):
//!    - `utcOffset` (minutes) is set on the organizer (when it has a `timeZone`) and on every
//!      attendee. Cal.com computes it from the IANA time zone and `startTime` with a time-zone
//!      database. A host that has one passes the offsets in ([`build_delivery_with_offsets`];
//!      the JS package uses `Intl`). Otherwise this library fills in only what needs no
//!      database ([`utc_offset_at`]): zones with a fixed offset, the US/Canada and EU
//!      daylight-saving zones (recent years), and `null` for an attendee without a `timeZone`
//!      (as Cal.com does). For any other zone an existing `utcOffset` in the input is kept
//!      (pass the real value in), and when there is none nothing is invented: the property
//!      stays absent and [`Delivery::notes`] says so.
//!    - `description = description || additionalNotes`. When both are missing/falsy and there
//!      is no `additionalNotes` key, JS stores `undefined`, which `JSON.stringify` omits; here
//!      the `description` key is removed (only `{{#each}}` over the root object could tell).
//! 3. **Body**:
//!    - no template: `JSON.stringify({triggerEvent, createdAt, payload})`, keys in that order;
//!    - template: `compile(template)(data).replace(/&quot;/g, '"')`, then, when the content type
//!      is JSON, `JSON.stringify(JSON.parse(rendered))` — the literal `false` when that parse
//!      fails; form bodies are sent as rendered. Template data is [`template_data`].
//! 4. **Guard**: an empty body throws `Missing required elements to send webhook payload.`
//!    ([`DeliveryError::EmptyBody`]).
//! 5. **Headers**: `Content-Type`, `X-Cal-Signature-256` (hex HMAC-SHA256 of the body, or
//!    `no-secret-provided`), and `X-Cal-Webhook-Version` when a version is given.
//!
//! Generic triggers (forms, routing, delegation credentials, wrong-assignment reports) go through
//! `sendGenericWebhookPayload`: no payload preparation, and the default body and template data
//! are both `{triggerEvent, createdAt, payload}` (Cal.com may prepend extra `rootData` keys,
//! which this emulator does not model).

use crate::json::{self, JsonError, Object, ParseOptions, Value};
use crate::template::projection::{Projection, Reads};
use crate::template::{compile, CompileOptions, Span, TemplateError, TemplateErrorCode};
use std::fmt;
use std::rc::Rc;

mod cache;
mod direct;
mod normalize;
mod prepare;
pub use cache::{PreparedTemplate, TemplateCache, CACHE_MAX_SOURCE_BYTES};
use prepare::prepare_payload;
pub use prepare::Attendees;

pub use crate::template::Dialect;
pub use crate::time::{fixed_utc_offset, utc_offset_at};

/// The `Content-Type` Cal.com uses when the body is JSON.
pub const CONTENT_TYPE_JSON: &str = "application/json";
/// The `Content-Type` Cal.com uses for a template that is not JSON.
pub const CONTENT_TYPE_FORM: &str = "application/x-www-form-urlencoded";
pub use crate::event::WEBHOOK_VERSION;

/// Everything that determines a delivery. `Debug` hides the secret.
#[derive(Clone)]
pub struct DeliveryInput {
    /// The trigger, e.g. `BOOKING_CREATED`.
    pub trigger_event: String,
    /// ISO-8601 `createdAt`, e.g. `2025-01-01T10:00:00.000Z`.
    pub created_at: String,
    /// The payload as Cal.com builds it (before `utcOffset`/`description` preparation).
    pub payload: Value,
    /// The webhook's `payloadTemplate`; `None` or empty means the default body.
    pub template: Option<String>,
    /// The webhook secret; `None` or empty means `no-secret-provided`.
    pub secret: Option<String>,
    /// The webhook version, sent as `X-Cal-Webhook-Version` when given.
    pub version: Option<String>,
    /// Which data shape templates see: Cal.com's real one, or the API reference's.
    pub dialect: Dialect,
    /// The subscriber URL, copied to [`Delivery::url`].
    pub subscriber_url: Option<String>,
}

impl fmt::Debug for DeliveryInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeliveryInput")
            .field("trigger_event", &self.trigger_event)
            .field("created_at", &self.created_at)
            .field("payload", &self.payload)
            .field("template", &self.template)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("version", &self.version)
            .field("dialect", &self.dialect)
            .field("subscriber_url", &self.subscriber_url)
            .finish()
    }
}

/// The request Cal.com would send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// Always `"POST"`.
    pub method: &'static str,
    /// The subscriber URL, when the input had one.
    pub url: Option<String>,
    /// `Content-Type`, `X-Cal-Signature-256`, then `X-Cal-Webhook-Version` when a version was
    /// given — in that order, with that casing.
    pub headers: Vec<(String, String)>,
    /// The exact body.
    pub body: String,
    /// The content type (also in `headers`).
    pub content_type: &'static str,
    /// What the emulation could not reproduce exactly (e.g. a `utcOffset` it could not
    /// compute). Empty when the delivery is exact.
    pub notes: Vec<String>,
}

/// Why Cal.com would send nothing (or why the emulation cannot proceed).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum DeliveryError {
    /// The template failed to compile or render; Cal.com throws and sends nothing. The
    /// template error (with its code and span) is passed through.
    Template(TemplateError),
    /// Form (non-JSON) template rendered to the empty string: Cal.com throws
    /// "Missing required elements to send webhook payload.".
    EmptyBody,
    /// The subscriber URL is the empty string: Cal.com throws the same error.
    MissingUrl,
    /// The payload is not a JSON object; Cal.com's sender only ever handles objects.
    PayloadNotObject {
        /// JS type name of what was given.
        found: &'static str,
    },
    /// The payload has a shape on which Cal.com's sender throws a `TypeError`
    /// (e.g. an attendee that is `null`).
    PayloadShape {
        /// What is wrong and where.
        message: String,
    },
    /// A time zone the sender must convert is not a valid IANA zone: Cal.com's
    /// `dayjs(...).tz(zone)` throws a `RangeError` and nothing is sent.
    InvalidTimeZone {
        /// Whose zone (`organizer`, `attendees[2]`).
        who: String,
        /// The zone as given.
        zone: String,
    },
    /// A JSON text involved (the template or the rendered output) exceeds the JSON limits
    /// (nesting deeper than [`json::DEFAULT_MAX_DEPTH`]); V8 would cope, this emulator refuses.
    JsonLimit(JsonError),
}

/// Stable machine-readable codes of [`DeliveryError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeliveryErrorCode {
    /// The template error's own code (`TEMPLATE_SYNTAX`, `TEMPLATE_RENDER`, …).
    Template(TemplateErrorCode),
    /// `EMPTY_BODY`.
    EmptyBody,
    /// `MISSING_URL`.
    MissingUrl,
    /// `PAYLOAD_NOT_OBJECT`.
    PayloadNotObject,
    /// `PAYLOAD_SHAPE`.
    PayloadShape,
    /// `INVALID_TIME_ZONE`.
    InvalidTimeZone,
    /// `JSON_LIMIT`.
    JsonLimit,
}

impl DeliveryErrorCode {
    /// The stable code string: the template error's code (`TEMPLATE_SYNTAX`,
    /// `TEMPLATE_RENDER`, `TEMPLATE_LIMIT`, `TEMPLATE_UNSUPPORTED`), `EMPTY_BODY`, `MISSING_URL`,
    /// `PAYLOAD_NOT_OBJECT`, `PAYLOAD_SHAPE`, `INVALID_TIME_ZONE` or `JSON_LIMIT`.
    pub fn as_str(&self) -> &'static str {
        match self {
            DeliveryErrorCode::Template(code) => code.as_str(),
            DeliveryErrorCode::EmptyBody => "EMPTY_BODY",
            DeliveryErrorCode::MissingUrl => "MISSING_URL",
            DeliveryErrorCode::PayloadNotObject => "PAYLOAD_NOT_OBJECT",
            DeliveryErrorCode::PayloadShape => "PAYLOAD_SHAPE",
            DeliveryErrorCode::InvalidTimeZone => "INVALID_TIME_ZONE",
            DeliveryErrorCode::JsonLimit => "JSON_LIMIT",
        }
    }
}

impl fmt::Display for DeliveryErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for DeliveryErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl DeliveryError {
    /// What kind of failure this is (`.as_str()` gives the stable string).
    pub fn code(&self) -> DeliveryErrorCode {
        match self {
            DeliveryError::Template(e) => DeliveryErrorCode::Template(e.code),
            DeliveryError::EmptyBody => DeliveryErrorCode::EmptyBody,
            DeliveryError::MissingUrl => DeliveryErrorCode::MissingUrl,
            DeliveryError::PayloadNotObject { .. } => DeliveryErrorCode::PayloadNotObject,
            DeliveryError::PayloadShape { .. } => DeliveryErrorCode::PayloadShape,
            DeliveryError::InvalidTimeZone { .. } => DeliveryErrorCode::InvalidTimeZone,
            DeliveryError::JsonLimit(_) => DeliveryErrorCode::JsonLimit,
        }
    }

    /// Human-readable explanation.
    pub fn message(&self) -> String {
        match self {
            DeliveryError::Template(e) => e.message.clone(),
            DeliveryError::EmptyBody => "Cal.com would send nothing: the form body is empty \
                (it throws \"Missing required elements to send webhook payload.\")"
                .to_string(),
            DeliveryError::MissingUrl => "Cal.com would send nothing: the subscriber URL is \
                empty (it throws \"Missing required elements to send webhook payload.\")"
                .to_string(),
            DeliveryError::PayloadNotObject { found } => {
                format!("the payload must be a JSON object, found {found}")
            }
            DeliveryError::PayloadShape { message } => message.clone(),
            DeliveryError::InvalidTimeZone { who, zone } => format!(
                "Cal.com would send nothing: {who}.timeZone {} is not a valid IANA time zone \
                 (its utcOffset conversion throws a RangeError). Use a zone such as Europe/London.",
                json::stringify(&Value::string(zone.as_str()))
            ),
            DeliveryError::JsonLimit(e) => format!("JSON limit exceeded: {}", e.message),
        }
    }

    /// Where in the template the problem is, for template errors that have a location.
    pub fn span(&self) -> Option<Span> {
        match self {
            DeliveryError::Template(e) => e.span,
            _ => None,
        }
    }
}

impl fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for DeliveryError {
    /// The template or JSON error this one passes on.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DeliveryError::Template(e) => Some(e),
            DeliveryError::JsonLimit(e) => Some(e),
            _ => None,
        }
    }
}

impl From<TemplateError> for DeliveryError {
    fn from(e: TemplateError) -> DeliveryError {
        DeliveryError::Template(e)
    }
}

/// `application/json` iff there is no template (empty counts as none) or `JSON.parse(template)`
/// is truthy; `application/x-www-form-urlencoded` otherwise.
///
/// A template that parses to `0`, `false`, `null` or `""` is form; `{}`, `[]`, `1`, `"x"` are
/// JSON. A template with an unquoted mustache (`{"n": {{n}} }`) is not JSON.
/// (A JSON template nested deeper than [`json::DEFAULT_MAX_DEPTH`] counts as JSON: its
/// top-level value is a container, hence truthy, as far as it could be read.)
///
/// ```
/// use calhook::delivery::content_type_for;
/// assert_eq!(content_type_for(None), "application/json");
/// assert_eq!(content_type_for(Some("")), "application/json");
/// assert_eq!(content_type_for(Some(r#"{"uid":"{{uid}}"}"#)), "application/json");
/// assert_eq!(content_type_for(Some(r#"{"n": {{n}} }"#)), "application/x-www-form-urlencoded");
/// assert_eq!(content_type_for(Some("0")), "application/x-www-form-urlencoded");
/// ```
pub fn content_type_for(template: Option<&str>) -> &'static str {
    match template_is_json(template) {
        Ok(true) | Err(_) => CONTENT_TYPE_JSON,
        Ok(false) => CONTENT_TYPE_FORM,
    }
}

fn json_options() -> ParseOptions {
    ParseOptions {
        max_bytes: usize::MAX,
        ..ParseOptions::default()
    }
}

/// `!template || jsonParse(template)`; `Err` when the template is too deep to decide.
fn template_is_json(template: Option<&str>) -> Result<bool, JsonError> {
    let Some(t) = template.filter(|t| !t.is_empty()) else {
        return Ok(true);
    };
    match json::parse_with(t, &json_options()) {
        Ok(parsed) => Ok(parsed.value.is_truthy()),
        Err(e) if e.code == json::JsonErrorCode::Depth => Err(e),
        Err(_) => Ok(false),
    }
}

/// True when `trigger` goes through Cal.com's generic sender (`sendGenericWebhookPayload`
/// rather than `sendPayload`).
///
/// For these, templates render against `{...rootData, triggerEvent, createdAt, payload}`
/// (so `{{payload.formId}}` works), and the payload is not prepared (no `utcOffset`, no
/// `description` fallback). Decided by the trigger table
/// ([`crate::event::TriggerInfo::template_data`]), the single description the linter and the
/// event model share.
pub fn is_generic_trigger(trigger: &str) -> bool {
    crate::event::trigger(trigger)
        .is_some_and(|info| info.template_data == crate::event::TemplateData::Nested)
}

/// The data a template renders against, after Cal.com's payload preparation.
///
/// - [`Dialect::Calcom`], booking-style triggers: `{...payload, triggerEvent, createdAt}` (flat:
///   `{{title}}`, `{{attendees.0.email}}`).
/// - [`Dialect::Calcom`], generic triggers ([`is_generic_trigger`]): `{triggerEvent, createdAt, payload}`.
/// - [`Dialect::Reference`] (what the API reference documents): `{triggerEvent, createdAt,
///   payload}` for every trigger, so `{{payload.uid}}` works.
///
/// This never fails: payload shapes Cal.com would choke on are passed through as far as
/// possible ([`build_delivery`] reports them as errors).
pub fn template_data(trigger: &str, created_at: &str, payload: &Value, dialect: Dialect) -> Value {
    let mut notes = Vec::new();
    let prepared = if is_generic_trigger(trigger) {
        payload.clone()
    } else {
        let offsets = UtcOffsets::new();
        prepare_payload(
            payload.clone(),
            &offsets,
            &mut notes,
            false,
            Attendees::AsGiven,
        )
        .unwrap_or_else(|_| payload.clone())
    };
    data_for(trigger, created_at, prepared, dialect)
}

fn data_for(trigger: &str, created_at: &str, prepared: Value, dialect: Dialect) -> Value {
    if dialect == Dialect::Reference || is_generic_trigger(trigger) {
        return wrapped(trigger, created_at, prepared);
    }
    // `{...payload, triggerEvent, createdAt}`: a key already in the payload keeps its position.
    // The prepared payload is usually this delivery's own: changed in place, not copied.
    let mut data = prepared;
    if !matches!(data, Value::Object(_)) {
        let spread: Object = match &data {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v.clone()))
                .collect(),
            Value::String(s) => s
                .encode_utf16()
                .enumerate()
                .map(|(i, u)| {
                    let c = char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}');
                    (i.to_string(), Value::string(c.to_string()))
                })
                .collect(),
            _ => Object::new(),
        };
        data = Value::object(spread);
    }
    if let Value::Object(object) = &mut data {
        let object = Rc::make_mut(object);
        put(object, "triggerEvent", string(trigger));
        put(object, "createdAt", string(created_at));
    }
    data
}

/// `{triggerEvent, createdAt, payload}`.
fn wrapped(trigger: &str, created_at: &str, payload: Value) -> Value {
    let mut o = Object::new();
    put(&mut o, "triggerEvent", string(trigger));
    put(&mut o, "createdAt", string(created_at));
    put(&mut o, "payload", payload);
    Value::object(o)
}

/// `object.insert(key, value)` with a `&str` key: one out-of-line copy of the generic insert
/// and its `Rc<str>` allocation for the payload preparation and data layout, which inlined it
/// at each call.
#[inline(never)]
pub(crate) fn put(object: &mut Object, key: &str, value: Value) {
    object.insert(key, value);
}

/// `Value::string(s)`, out of line for the same reason as [`put`].
#[inline(never)]
fn string(s: &str) -> Value {
    Value::string(s)
}

/// UTC offsets (minutes) of time zones at the booking's start, computed by a host that has a
/// time-zone database (the JS package uses `Intl`); `None` marks a zone the host rejected.
/// Zones missing from the table fall back to [`utc_offset_at`] (fixed zones and the US/EU
/// daylight-saving rules).
/// A [`RunMap`](crate::json::RunMap) by zone name (only looked up, never iterated): the ordered
/// map JSON objects already use, O(log n) amortised per insert in any order, so a hostile
/// request with many zones stays n log n, and no hash table code in the wasm.
pub type UtcOffsets = crate::json::RunMap<String, Option<i32>>;

/// Build the request Cal.com would send for `input`, or the reason it would send nothing.
///
/// ```
/// use calhook::delivery::{build_delivery, DeliveryInput, Dialect};
/// use calhook::json::parse;
/// let input = DeliveryInput {
///     trigger_event: "BOOKING_CREATED".into(),
///     created_at: "2025-01-01T10:00:00.000Z".into(),
///     payload: parse(r#"{"uid":"u1","title":"Intro"}"#).unwrap(),
///     template: None,
///     secret: None,
///     version: Some("2021-10-20".into()),
///     dialect: Dialect::Calcom,
///     subscriber_url: Some("https://example.com/hook".into()),
/// };
/// let d = build_delivery(&input).unwrap();
/// assert_eq!(d.body, r#"{"triggerEvent":"BOOKING_CREATED","createdAt":"2025-01-01T10:00:00.000Z","payload":{"uid":"u1","title":"Intro"}}"#);
/// assert_eq!(d.headers[1], ("X-Cal-Signature-256".to_string(), "no-secret-provided".to_string()));
/// ```
pub fn build_delivery(input: &DeliveryInput) -> Result<Delivery, DeliveryError> {
    build_delivery_with_offsets(input, &UtcOffsets::new())
}

/// [`build_delivery`] with UTC offsets the host computed for the payload's time zones, so
/// that `utcOffset` is exact for every zone (not only the fixed ones).
pub fn build_delivery_with_offsets(
    input: &DeliveryInput,
    offsets: &UtcOffsets,
) -> Result<Delivery, DeliveryError> {
    let prepared = template_source(input).map(|s| PreparedTemplate::new(s, input.dialect));
    build_delivery_prepared(input, offsets, prepared.as_ref())
}

/// [`build_delivery_with_offsets`] with the template prepared once per source and dialect in
/// `cache` (what a host sending many deliveries wants): the same delivery or error, without
/// recompiling the template every time.
pub fn build_delivery_cached(
    input: &DeliveryInput,
    offsets: &UtcOffsets,
    cache: &mut TemplateCache,
) -> Result<Delivery, DeliveryError> {
    let prepared = template_source(input).map(|s| cache.get(s, input.dialect));
    build_delivery_prepared(input, offsets, prepared.as_deref())
}

/// The delivery of `input` with its template (if any) already prepared: the payload is cloned,
/// since the caller keeps `input`.
fn build_delivery_prepared(
    input: &DeliveryInput,
    offsets: &UtcOffsets,
    prepared: Option<&PreparedTemplate>,
) -> Result<Delivery, DeliveryError> {
    let payload = input.payload.clone();
    let body = delivery_body(input, payload, offsets, Attendees::AsGiven, prepared)?;
    Ok(signed(input, body))
}

/// A delivery before it is signed: what [`build_delivery_body`] gives a host that signs
/// bodies itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryBody {
    /// The exact body.
    pub body: String,
    /// The content type.
    pub content_type: &'static str,
    /// What the emulation could not reproduce exactly (see [`Delivery::notes`]).
    pub notes: Vec<String>,
}

/// [`build_delivery_cached`] up to the signature, for a host that prepared the input itself
/// (the JS package): it may sign the body natively (faster than here for long bodies) with
/// [`crate::signature::sign`]'s result, and with [`delivery_headers`] has
/// [`build_delivery_cached`]'s delivery. `attendees` says how the host sent the attendees.
///
/// The payload is taken out of `input` (left `null`), so that a payload nothing else shares is
/// prepared in place rather than copied.
pub fn build_delivery_body(
    input: &mut DeliveryInput,
    offsets: &UtcOffsets,
    attendees: Attendees,
    cache: &mut TemplateCache,
) -> Result<DeliveryBody, DeliveryError> {
    let payload = std::mem::take(&mut input.payload);
    let prepared = template_source(input).map(|s| cache.get(s, input.dialect));
    delivery_body(input, payload, offsets, attendees, prepared.as_deref())
}

/// [`build_delivery_body`] with the payload given as JSON text (`input.payload` is not read):
/// straight from the text, without a value tree, when the template and payload allow it.
/// `None` means "parse the text into `input.payload` and call [`build_delivery_body`]", which
/// then gives the delivery, its notes or its error; `Some` is exactly what that would give.
pub fn build_delivery_body_json(
    input: &DeliveryInput,
    payload_json: &str,
    offsets: &UtcOffsets,
    attendees: Attendees,
    cache: &mut TemplateCache,
) -> Option<DeliveryBody> {
    let prepared = template_source(input).map(|s| cache.get(s, input.dialect));
    direct::direct_body(input, payload_json, offsets, attendees, prepared.as_deref())
}

/// The headers Cal.com sends, in its order and casing: `Content-Type`, `X-Cal-Signature-256`,
/// then `X-Cal-Webhook-Version` when a version is given.
pub fn delivery_headers(
    content_type: &str,
    signature: String,
    version: Option<&str>,
) -> Vec<(String, String)> {
    let mut headers = vec![
        ("Content-Type".to_string(), content_type.to_string()),
        (crate::signature::HEADER_NAME.to_string(), signature),
    ];
    if let Some(version) = version {
        headers.push(("X-Cal-Webhook-Version".to_string(), version.to_string()));
    }
    headers
}

/// The template, when there is one (an empty template counts as none).
fn template_source(input: &DeliveryInput) -> Option<&str> {
    input.template.as_deref().filter(|t| !t.is_empty())
}

/// Sign `body` as the input says and add the headers.
fn signed(input: &DeliveryInput, body: DeliveryBody) -> Delivery {
    let secret = input.secret.as_deref().map(str::as_bytes);
    let signature = crate::signature::sign(body.body.as_bytes(), secret);
    Delivery {
        method: "POST",
        url: input.subscriber_url.clone(),
        headers: delivery_headers(body.content_type, signature, input.version.as_deref()),
        body: body.body,
        content_type: body.content_type,
        notes: body.notes,
    }
}

/// The delivery pipeline up to the signature; `template` is the input's template, prepared,
/// and `payload` the input's payload.
fn delivery_body(
    input: &DeliveryInput,
    payload: Value,
    offsets: &UtcOffsets,
    attendees: Attendees,
    template: Option<&PreparedTemplate>,
) -> Result<DeliveryBody, DeliveryError> {
    if input.subscriber_url.as_deref() == Some("") {
        return Err(DeliveryError::MissingUrl);
    }
    let is_json = match template {
        None => true,
        Some(t) => t.is_json.clone().map_err(DeliveryError::JsonLimit)?,
    };
    let content_type = if is_json {
        CONTENT_TYPE_JSON
    } else {
        CONTENT_TYPE_FORM
    };
    let trigger = input.trigger_event.as_str();
    let mut notes = Vec::new();
    let prepared = prepared_payload(input, payload, offsets, &mut notes, attendees)?;
    let body = match template {
        None => json::stringify(&wrapped(trigger, &input.created_at, prepared)),
        Some(template) => {
            let rendered = render_prepared(input, template, prepared)?;
            if is_json {
                reserialized(&rendered)?
            } else {
                rendered
            }
        }
    };
    if body.is_empty() {
        return Err(DeliveryError::EmptyBody);
    }
    Ok(DeliveryBody {
        body,
        content_type,
        notes,
    })
}

/// `JSON.stringify(jsonParse(rendered))`: the literal `false` when the text is not JSON.
/// Straight from the text when [`normalize::reserialize`] can vouch for it, else through a
/// parsed value.
fn reserialized(rendered: &str) -> Result<String, DeliveryError> {
    if let Some(body) = normalize::reserialize(rendered) {
        return Ok(body);
    }
    match json::parse_with(rendered, &json_options()) {
        Ok(parsed) => Ok(json::stringify(&parsed.value)),
        Err(e) if e.code == json::JsonErrorCode::Depth => Err(DeliveryError::JsonLimit(e)),
        Err(_) => Ok("false".to_string()),
    }
}

/// The text Cal.com's sender renders from the delivery's template, before it parses it as JSON:
/// `compile(template)(data).replace(/&quot;/g, '"')` with the data [`build_delivery`] uses
/// (the trigger's layout, the prepared payload). `None` without a template (the default body
/// is not rendered). This is what a `false` body failed to parse.
pub fn render_payload_template(
    input: &DeliveryInput,
    offsets: &UtcOffsets,
) -> Result<Option<String>, DeliveryError> {
    let Some(source) = template_source(input) else {
        return Ok(None);
    };
    let template = PreparedTemplate::new(source, input.dialect);
    let payload = input.payload.clone();
    let prepared = prepared_payload(input, payload, offsets, &mut Vec::new(), Attendees::AsGiven)?;
    render_prepared(input, &template, prepared).map(Some)
}

/// [`render_payload_template`] with the template prepared once in `cache` (see
/// [`build_delivery_cached`]).
pub fn render_payload_template_cached(
    input: &DeliveryInput,
    offsets: &UtcOffsets,
    cache: &mut TemplateCache,
) -> Result<Option<String>, DeliveryError> {
    let mut input = input.clone();
    render_payload_template_body(&mut input, offsets, Attendees::AsGiven, cache)
}

/// [`render_payload_template_cached`] for a host that prepared the input itself (see
/// [`build_delivery_body`]: the payload is taken out of `input`).
pub fn render_payload_template_body(
    input: &mut DeliveryInput,
    offsets: &UtcOffsets,
    attendees: Attendees,
    cache: &mut TemplateCache,
) -> Result<Option<String>, DeliveryError> {
    let payload = std::mem::take(&mut input.payload);
    let Some(source) = template_source(input) else {
        return Ok(None);
    };
    let template = cache.get(source, input.dialect);
    let prepared = prepared_payload(input, payload, offsets, &mut Vec::new(), attendees)?;
    render_prepared(input, &template, prepared).map(Some)
}

/// The payload as the sender hands it to the body: prepared for booking-style triggers,
/// as given (but an object) for generic ones.
fn prepared_payload(
    input: &DeliveryInput,
    payload: Value,
    offsets: &UtcOffsets,
    notes: &mut Vec<String>,
    attendees: Attendees,
) -> Result<Value, DeliveryError> {
    if is_generic_trigger(&input.trigger_event) {
        if !matches!(payload, Value::Object(_)) {
            return Err(DeliveryError::PayloadNotObject {
                found: payload.type_name(),
            });
        }
        Ok(payload)
    } else {
        prepare_payload(payload, offsets, notes, true, attendees)
    }
}

/// Render `template` against the template data of `prepared`, with Cal.com's `&quot;`
/// replacement.
fn render_prepared(
    input: &DeliveryInput,
    template: &PreparedTemplate,
    prepared: Value,
) -> Result<String, DeliveryError> {
    let data = data_for(
        &input.trigger_event,
        &input.created_at,
        prepared,
        input.dialect,
    );
    let compiled = template
        .compiled
        .as_ref()
        .map_err(|e| DeliveryError::Template(e.clone()))?;
    Ok(unquoted(compiled.render(&data)?))
}

/// Cal.com's `.replace(/&quot;/g, '"')` on the rendered text. A byte scan (`find_ascii`)
/// rather than `str::contains` + `str::replace`: the template engine no longer needs core's
/// `StrSearcher`, and this was its last user in the wasm.
fn unquoted(rendered: String) -> String {
    const QUOT: &[u8] = b"&quot;";
    let Some(mut at) = crate::template::find_ascii(&rendered, QUOT) else {
        return rendered;
    };
    let mut out = String::with_capacity(rendered.len());
    let mut done = 0;
    loop {
        // `at` and `done` sit at ASCII bytes, so these are char boundaries.
        out.push_str(rendered.get(done..at).unwrap_or(""));
        out.push('"');
        done = at + QUOT.len();
        match rendered
            .get(done..)
            .and_then(|r| crate::template::find_ascii(r, QUOT))
        {
            Some(k) => at = done + k,
            None => break,
        }
    }
    out.push_str(rendered.get(done..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests;

/// What part of the payload a delivery with this template can read, so a host that
/// serializes the payload (the JS package) can send only that. Conservative: the default body
/// (no template), a template that does not compile, or one that reads whole objects or
/// iterates the root needs [`Projection::Everything`].
///
/// Besides what the template reads, the payload preparation reads: the keys that tell a
/// booking payload from a no-show or out-of-office one, `additionalNotes` (the `description`
/// fallback), and every attendee and the organizer as objects with their `timeZone` and
/// `utcOffset` (each gets a `utcOffset`, and a non-object attendee makes the sender throw).
pub fn payload_projection(trigger: &str, template: Option<&str>, dialect: Dialect) -> Projection {
    payload_projections(trigger, template, dialect, Attendees::AsGiven)
}

/// [`payload_projection`] for a delivery whose attendees the host checked
/// ([`Attendees::Checked`]): the preparation then reads only the attendees the template reads,
/// so the others need not cross at all.
pub fn payload_projection_checked(
    trigger: &str,
    template: Option<&str>,
    dialect: Dialect,
) -> Projection {
    payload_projections(trigger, template, dialect, Attendees::Checked)
}

fn payload_projections(
    trigger: &str,
    template: Option<&str>,
    dialect: Dialect,
    attendees: Attendees,
) -> Projection {
    let Some(source) = template.filter(|t| !t.is_empty()) else {
        return Projection::Everything;
    };
    let options = CompileOptions {
        dialect,
        ..CompileOptions::default()
    };
    let Ok(compiled) = compile(source, &options) else {
        return Projection::Everything;
    };
    let Projection::Some(root) = compiled.data_projection() else {
        return Projection::Everything;
    };
    if root.full || root.elem.is_some() {
        return Projection::Everything;
    }
    if dialect == Dialect::Reference || is_generic_trigger(trigger) {
        // `{triggerEvent, createdAt, payload}`: only reads below `payload` touch the payload.
        let payload = root.children.get("payload").cloned().unwrap_or_default();
        return match payload.full {
            true => Projection::Everything,
            false if is_generic_trigger(trigger) => Projection::Some(payload),
            false => Projection::Some(with_preparation_reads(payload, attendees)),
        };
    }
    let mut payload = root;
    // Set by the sender after spreading the payload: whatever the payload holds is not read.
    payload.children.remove("triggerEvent");
    payload.children.remove("createdAt");
    Projection::Some(with_preparation_reads(payload, attendees))
}

/// Add what `prepare_payload` reads to a payload projection.
fn with_preparation_reads(mut payload: Reads, attendees: Attendees) -> Reads {
    let full = || Reads {
        full: true,
        ..Reads::default()
    };
    for key in [
        "message",
        "bookingUid",
        "oooEntry",
        "additionalNotes",
        "description",
    ] {
        payload.children.insert(key.to_string(), full());
    }
    let person = |node: &mut Reads| {
        node.children.insert("timeZone".to_string(), full());
        node.children.insert("utcOffset".to_string(), full());
    };
    if let Some(organizer) = payload.children.get_mut("organizer") {
        person(organizer);
    } else {
        let mut organizer = Reads::default();
        person(&mut organizer);
        payload.children.insert("organizer".to_string(), organizer);
    }
    if attendees == Attendees::Checked {
        // Only the attendees the template reads cross; each gets its utcOffset.
        if let Some(list) = payload.children.get_mut("attendees") {
            if let Some(elem) = list.elem.as_deref_mut() {
                person(elem);
            }
            for (key, node) in list.children.iter_mut() {
                if json::is_array_index(key) {
                    person(node);
                }
            }
        }
        return payload;
    }
    let list = payload.children.entry("attendees".to_string()).or_default();
    list.keep_len = true;
    let elem = list.elem.get_or_insert_with(Box::default);
    person(elem);
    payload
}
