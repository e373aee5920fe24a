//! Parse a webhook body into an [`Event`], accepting every shape the real sender posts.
//!
//! - the normal envelope `{triggerEvent, createdAt, payload}`;
//! - the legacy flat body of `MEETING_STARTED` / `MEETING_ENDED` (`{triggerEvent, ...booking}`,
//!   no `payload`, `createdAt` is the booking's own);
//! - `FORM_SUBMITTED*` with every response also copied to the root of the body.
//!
//! Call it **after** verifying the signature over the raw bytes.

use super::error::{EventError, EventErrorCode};
pub use super::received::{EnvelopeShape, UncheckedEvent};
use super::shape::date_time_ms;
use super::trigger::TriggerInfo;
use super::validate::{
    check_created_at, check_trigger_event, issues_to_value, validate_shape, wrong_type, Issue,
    IssueCode,
};
use super::write::Members;
use crate::json::{self, JsonErrorCode, Value};

/// Default [`ParseEventOptions::max_bytes`]: 4 MiB, far above any real webhook body.
pub const DEFAULT_MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// At most this many issues are returned in an `INVALID_PAYLOAD` error (the message gives the
/// total), so that a hostile body cannot make the error itself huge.
pub const MAX_REPORTED_ISSUES: usize = 100;

/// Options of [`parse_event`].
#[derive(Clone, Debug, PartialEq)]
pub struct ParseEventOptions {
    /// Reject unknown triggers (`UNKNOWN_TRIGGER` issue) and duplicate keys (`DUPLICATE_KEY`
    /// issue). Off by default: Cal.com keeps adding triggers and a receiver must not break.
    pub strict: bool,
    /// The current time in epoch milliseconds (inject `Date.now()`); `None` skips the replay
    /// window check entirely.
    pub now_ms: Option<f64>,
    /// Oldest accepted `createdAt`, relative to `now_ms` (default 5 minutes; `None`: no limit).
    pub max_age_ms: Option<f64>,
    /// Furthest accepted future `createdAt` (clock skew), relative to `now_ms` (default 1 minute;
    /// `None`: no limit).
    pub max_future_ms: Option<f64>,
    /// Largest accepted body in bytes (default [`DEFAULT_MAX_BODY_BYTES`]).
    pub max_bytes: usize,
}

impl Default for ParseEventOptions {
    fn default() -> ParseEventOptions {
        ParseEventOptions {
            strict: false,
            now_ms: None,
            max_age_ms: Some(5.0 * 60_000.0),
            max_future_ms: Some(60_000.0),
            max_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

impl ParseEventOptions {
    /// Options from a JS object `{strict?, nowMs?, maxAgeMs?, maxFutureMs?, maxBytes?}`:
    /// an absent key keeps the default, `null` for `maxAgeMs`/`maxFutureMs` disables that
    /// limit, non-finite or negative numbers are ignored. Anything but an object gives the
    /// defaults.
    pub fn from_value(value: &Value) -> ParseEventOptions {
        let mut o = ParseEventOptions::default();
        let Some(obj) = value.as_object() else {
            return o;
        };
        let num = |k: &str| {
            obj.get(k)
                .and_then(Value::as_f64)
                .filter(|n| n.is_finite() && *n >= 0.0)
        };
        if let Some(b) = obj.get("strict").and_then(Value::as_bool) {
            o.strict = b;
        }
        if let Some(now) = obj
            .get("nowMs")
            .and_then(Value::as_f64)
            .filter(|n| n.is_finite())
        {
            o.now_ms = Some(now);
        }
        for (key, slot) in [
            ("maxAgeMs", &mut o.max_age_ms),
            ("maxFutureMs", &mut o.max_future_ms),
        ] {
            match obj.get(key) {
                Some(Value::Null) => *slot = None,
                Some(_) => {
                    if let Some(n) = num(key) {
                        *slot = Some(n);
                    }
                }
                None => {}
            }
        }
        if let Some(n) = num("maxBytes") {
            o.max_bytes = if n >= usize::MAX as f64 {
                usize::MAX
            } else {
                n as usize
            };
        }
        o
    }
}

/// A parsed, validated event, normalised to `{triggerEvent, createdAt, payload}`.
#[derive(Clone, Debug)]
pub struct Event {
    /// The trigger name.
    pub trigger_event: String,
    /// `createdAt` as sent (for the legacy flat shape, the booking's creation time).
    pub created_at: String,
    /// The payload object.
    pub payload: Value,
    /// Whether the trigger is in [`super::TRIGGERS`] (and the payload was checked against its shape).
    pub known: bool,
    /// The body layout.
    pub shape: EnvelopeShape,
    /// Non-fatal findings: values in the API reference's form (`REFERENCE_*` codes), duplicate
    /// keys outside strict mode.
    pub warnings: Vec<Issue>,
}

impl Event {
    /// The trigger's metadata, when known.
    pub fn trigger(&self) -> Option<&'static TriggerInfo> {
        super::trigger(&self.trigger_event)
    }

    /// `{triggerEvent, createdAt, payload, known, shape, warnings, valid: true}` for JS.
    pub fn to_value(&self) -> Value {
        super::object_of(&mut [
            ("triggerEvent", super::text(&self.trigger_event)),
            ("createdAt", super::text(&self.created_at)),
            ("payload", self.payload.clone()),
            ("known", Value::Bool(self.known)),
            ("shape", super::text(self.shape.as_str())),
            ("warnings", issues_to_value(&self.warnings)),
            ("valid", Value::Bool(true)),
        ])
    }

    /// `JSON.stringify` of [`Event::to_value`], written straight (no value tree).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    /// `{"event": <the event>}`, for JS (see `parse_event_meta` in the wasm layer).
    pub fn wrapped_json(&self) -> String {
        let mut out = String::new();
        let mut o = Members::open(&mut out);
        self.write_json(o.key("event"));
        o.close();
        out
    }

    pub(crate) fn write_json(&self, out: &mut String) {
        let mut o = Members::open(out);
        o.text("triggerEvent", Some(&self.trigger_event));
        o.text("createdAt", Some(&self.created_at));
        o.value("payload", &self.payload);
        o.bool("known", self.known);
        o.text("shape", Some(self.shape.as_str()));
        o.issues("warnings", &self.warnings);
        o.bool("valid", true);
        o.close();
    }
}

/// `{"known", "shape", "warnings"}` of an event, for JS (see `parse_event_meta` in the wasm
/// layer).
pub fn meta_json(known: bool, shape: EnvelopeShape, warnings: &[Issue]) -> String {
    let mut out = String::new();
    let mut o = Members::open(&mut out);
    o.bool("known", known);
    o.text("shape", Some(shape.as_str()));
    o.issues("warnings", warnings);
    o.close();
    out
}

/// Parse and validate a webhook body (the raw bytes, after signature verification).
///
/// Errors: `NOT_JSON` (with a hint, e.g. for a form-urlencoded template body), `BODY_TOO_LARGE`,
/// `TOO_DEEP`, `INVALID_PAYLOAD` (with every issue), `STALE_EVENT` / `FUTURE_EVENT` (replay
/// window on `createdAt`, only when `now_ms` is given and the body is not the legacy flat shape,
/// whose `createdAt` is the booking's). Never panics.
pub fn parse_event(body: &[u8], options: &ParseEventOptions) -> Result<Event, EventError> {
    parse_event_checked(body, options).map(|(event, _)| event)
}

/// [`parse_event`], also saying whether JS `JSON.parse` of the body gives exactly the values of
/// the event (see [`json::Parsed::round_trips`]): then a JS caller may take `triggerEvent`,
/// `createdAt` and `payload` from its own `JSON.parse` of the body (envelope shapes only)
/// instead of re-parsing the event's JSON text.
pub(crate) fn parse_event_checked(
    body: &[u8],
    options: &ParseEventOptions,
) -> Result<(Event, bool), EventError> {
    let (value, duplicates, round_trips) = parse_json(body, options.max_bytes)?;
    event_from_value(&value, &duplicates, options).map(|event| (event, round_trips))
}

/// [`parse_event`] for an already parsed value (no duplicate-key information).
pub fn event_from_value(
    value: &Value,
    duplicates: &[json::DuplicateKey],
    options: &ParseEventOptions,
) -> Result<Event, EventError> {
    let Some(root) = value.as_object() else {
        return Err(not_an_object(value));
    };

    let mut dup_issues: Vec<Issue> = duplicates
        .iter()
        .map(|d| Issue {
            path: pointer_to_path(&d.pointer),
            code: IssueCode::DuplicateKey,
            message: format!(
                "Key \"{}\" appears more than once (line {}, column {}); JSON.parse keeps the last value. \
                 Cal.com never sends duplicate keys.",
                d.key, d.line, d.column
            ),
        })
        .collect();

    let trigger_name = root.get("triggerEvent").and_then(Value::as_str);
    let info_of = |t| super::trigger(t);
    let is_flat = !root.contains_key("payload")
        && trigger_name.is_some_and(|t| {
            // A known trigger says whether older code posts it flat; an unknown one may be
            // flat outside strict mode.
            info_of(t).map_or(!options.strict, |info| info.legacy_flat)
        });

    // The same checks for every layout, in this order: the trigger, `createdAt`, the payload.
    let mut issues = Vec::new();
    let info = check_trigger_event(root, options.strict, &mut issues);
    check_created_at(root, "createdAt", &mut issues);
    let (shape, payload) = if is_flat {
        let mut flat = root.clone();
        flat.remove("triggerEvent");
        (EnvelopeShape::LegacyFlat, Value::object(flat))
    } else {
        let extra_root_keys = root
            .keys()
            .any(|k| !matches!(k, "triggerEvent" | "createdAt" | "payload"));
        let form = trigger_name
            .and_then(info_of)
            .is_some_and(|i| i.form_root_copy);
        let shape = if extra_root_keys && form {
            EnvelopeShape::FormRootCopy
        } else {
            EnvelopeShape::Envelope
        };
        (shape, root.get("payload").cloned().unwrap_or_default())
    };
    if shape != EnvelopeShape::LegacyFlat && payload.is_null() {
        issues.push(Issue {
            path: "payload".into(),
            code: IssueCode::Required,
            message: "`payload` is required (object).".into(),
        });
    } else if let Some(info) = info {
        validate_shape(info.shape, &payload, "payload", &mut issues);
    } else if payload.as_object().is_none() {
        issues.push(wrong_type("payload", "object", &payload));
    }

    // Reference-form findings are warnings whatever the mode: never a rejection.
    let (mut warnings, mut issues): (Vec<Issue>, Vec<Issue>) =
        issues.into_iter().partition(|i| i.code.is_warning());
    if options.strict {
        issues.append(&mut dup_issues);
    } else {
        warnings.append(&mut dup_issues);
    }
    let trigger_event = trigger_name.map(str::to_string);
    let created_at = root
        .get("createdAt")
        .and_then(Value::as_str)
        .map(str::to_string);
    if !issues.is_empty() {
        let mut e = EventError::new(
            EventErrorCode::InvalidPayload,
            format!(
                "The body is not a valid {} event: {} issue{} (first: {}).",
                trigger_name.unwrap_or("webhook"),
                issues.len(),
                if issues.len() == 1 { "" } else { "s" },
                issues.first().map_or("", |i| i.message.as_str())
            ),
        );
        issues.truncate(MAX_REPORTED_ISSUES);
        warnings.truncate(MAX_REPORTED_ISSUES);
        // The body was verified and is JSON: hand it over with its issues, so that a receiver
        // can still store it (no verified event is silently lost).
        e.event = Some(Box::new(UncheckedEvent {
            trigger_event,
            created_at,
            payload,
            known: info.is_some(),
            shape,
            warnings,
            issues: copy_issues(&issues),
        }));
        e.issues = issues;
        return Err(e);
    }

    // Validation guarantees these two strings.
    let trigger_event = trigger_event.unwrap_or_default();
    let created_at = created_at.unwrap_or_default();

    if shape != EnvelopeShape::LegacyFlat {
        check_window(&created_at, options)?;
    }

    Ok(Event {
        trigger_event,
        created_at,
        payload,
        known: info.is_some(),
        shape,
        warnings,
    })
}

fn parse_json(
    body: &[u8],
    max_bytes: usize,
) -> Result<(Value, Vec<json::DuplicateKey>, bool), EventError> {
    if body.len() > max_bytes {
        return Err(EventError::new(
            EventErrorCode::BodyTooLarge,
            format!(
                "The body is {} bytes; the limit is {max_bytes}.",
                body.len()
            ),
        ));
    }
    let opts = json::ParseOptions {
        max_bytes,
        report_duplicates: true,
        ..Default::default()
    };
    match json::parse_bytes_with(body, &opts) {
        Ok(mut parsed) => {
            utf16_columns(body, &mut parsed.duplicates);
            Ok((parsed.value, parsed.duplicates, parsed.round_trips))
        }
        Err(mut err) => {
            // JS indexes strings in UTF-16 code units: the message's column too.
            let (offset16, column16) = json::utf16_position(body, err.offset);
            err.message = err.message_utf16(body);
            // One message per kind: the parser's message (which says where) in a sentence.
            let (code, head, hint) = match err.code {
                JsonErrorCode::Size => (EventErrorCode::BodyTooLarge, "", None),
                JsonErrorCode::Depth => (
                    EventErrorCode::TooDeep,
                    "The body nests too deeply: ",
                    Some("Cal.com payloads nest a few levels only."),
                ),
                JsonErrorCode::Utf8 => (
                    EventErrorCode::NotJson,
                    "The body is not UTF-8 text: ",
                    Some("Pass the raw request bytes exactly as received (Cal.com sends UTF-8 JSON)."),
                ),
                JsonErrorCode::Syntax => (EventErrorCode::NotJson, "The body is not JSON: ", None),
            };
            let message = if head.is_empty() {
                format!("The body is larger than {max_bytes} bytes.")
            } else {
                format!("{head}{}.", err.message)
            };
            let hint = match err.code {
                JsonErrorCode::Syntax => Some(not_json_hint(body)),
                _ => hint.map(str::to_string),
            };
            let mut e = EventError::new(code, message);
            e.hint = hint;
            e.json_utf16 = Some((offset16, column16));
            e.json = Some(Box::new(err));
            Err(e)
        }
    }
}

/// Rewrite each duplicate key's column in UTF-16 code units (its messages reach JS), in one
/// pass over the body: a hostile body may repeat a key many times.
fn utf16_columns(body: &[u8], duplicates: &mut [json::DuplicateKey]) {
    if duplicates.is_empty() || body.is_ascii() {
        return;
    }
    // (offset, index) pairs sorted as the fast scanner sorts its key hashes: one sort routine
    // in the wasm instead of a stable sort of its own (ties keep index order, as a stable sort).
    let mut order: Vec<(u64, u32)> = duplicates
        .iter()
        .enumerate()
        .map(|(i, d)| (d.offset as u64, u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    crate::json::sort_pairs(&mut order);
    let text = String::from_utf8_lossy(body);
    let mut chars = text.char_indices().peekable();
    let mut column = 1;
    for (_, i) in order {
        let Some(d) = duplicates.get_mut(i as usize) else {
            continue;
        };
        while let Some(&(at, c)) = chars.peek() {
            if at >= d.offset {
                break;
            }
            column = if c == '\n' { 1 } else { column + c.len_utf16() };
            chars.next();
        }
        d.column = column;
    }
}

fn not_json_hint(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body.get(..4096).unwrap_or(body));
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return "The body is empty. Pass the raw request body (read it before any body parser consumes it)."
            .to_string();
    }
    let looks_form = !trimmed.starts_with(['{', '[', '"'])
        && trimmed
            .split('&')
            .all(|pair| pair.contains('=') && !pair.contains('\n'));
    let base = "Cal.com sends a custom payload template's output as is, with Content-Type \
                application/x-www-form-urlencoded, when the template itself is not valid JSON \
                (for example an unquoted mustache such as {\"n\": {{n}} }).";
    if looks_form {
        format!("This looks like a form-urlencoded template body. {base} Make the template valid JSON to receive JSON, or parse the body as form data.")
    } else {
        format!("{base} Check the webhook's payloadTemplate, or whether a proxy altered the body.")
    }
}

/// A copy of `issues` (an error carries them twice: beside its event and in it); one copy of
/// the cloning loop for both error paths.
#[inline(never)]
fn copy_issues(issues: &[Issue]) -> Vec<Issue> {
    issues.to_vec()
}

fn not_an_object(value: &Value) -> EventError {
    let mut e = EventError::new(
        EventErrorCode::InvalidPayload,
        format!(
            "The body is JSON but not an object (got {}).",
            value.type_name()
        ),
    );
    if matches!(value, Value::Bool(false)) {
        e.hint = Some(
            "Cal.com sends the literal `false` when a custom payload template renders invalid JSON \
             (a substituted value containing a quote or a newline inside a string). Fix the template."
                .to_string(),
        );
    }
    e.issues.push(Issue {
        path: String::new(),
        code: IssueCode::WrongType,
        message: format!("The body should be an object, got {}.", value.type_name()),
    });
    e.event = Some(Box::new(UncheckedEvent {
        trigger_event: None,
        created_at: None,
        payload: value.clone(),
        known: false,
        shape: EnvelopeShape::Envelope,
        warnings: Vec::new(),
        issues: copy_issues(&e.issues),
    }));
    e
}

pub(super) fn check_window(
    created_at: &str,
    options: &ParseEventOptions,
) -> Result<(), EventError> {
    let Some(now) = options.now_ms.filter(|n| n.is_finite()) else {
        return Ok(());
    };
    let Some(created) = date_time_ms(created_at) else {
        return Ok(()); // validated already; unreachable in practice
    };
    if let Some(max_age) = options.max_age_ms {
        if now - created > max_age {
            return Err(window_error(
                EventErrorCode::StaleEvent,
                created_at,
                ((now - created) / 1000.0).floor(),
                "old; the limit is",
                max_age,
            ));
        }
    }
    if let Some(max_future) = options.max_future_ms {
        if created - now > max_future {
            return Err(window_error(
                EventErrorCode::FutureEvent,
                created_at,
                ((created - now) / 1000.0).ceil(),
                "in the future; the allowed clock skew is",
                max_future,
            ));
        }
    }
    Ok(())
}

/// `createdAt {created_at} is {secs} s {what} {limit} s.`: one copy of the message code for
/// both replay-window errors.
#[inline(never)]
fn window_error(
    code: EventErrorCode,
    created_at: &str,
    secs: f64,
    what: &str,
    limit_ms: f64,
) -> EventError {
    EventError::new(
        code,
        format!(
            "createdAt {created_at} is {} s {what} {} s.",
            json::format_number(secs),
            json::format_number(limit_ms / 1000.0)
        ),
    )
}

/// `/payload/attendees/0/email` → `payload.attendees[0].email`.
fn pointer_to_path(pointer: &str) -> String {
    let mut path = String::new();
    let mut token = String::new();
    for raw in pointer.split('/').skip(1) {
        // RFC 6901 unescaping in one pass (`~1` is `/`, `~0` is `~`), as `replace("~1", "/")`
        // then `replace("~0", "~")`: neither replacement can form the other's pattern.
        token.clear();
        // By bytes: both escapes are ASCII, so every cut is on a char boundary (no char
        // decoding or encoding code for a cold path).
        let bytes = raw.as_bytes();
        let (mut start, mut i) = (0, 0);
        while i < bytes.len() {
            let unescaped = match (bytes[i], bytes.get(i + 1)) {
                (b'~', Some(b'1')) => "/",
                (b'~', Some(b'0')) => "~",
                _ => {
                    i += 1;
                    continue;
                }
            };
            token.push_str(raw.get(start..i).unwrap_or_default());
            token.push_str(unescaped);
            i += 2;
            start = i;
        }
        token.push_str(raw.get(start..).unwrap_or_default());
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) && !path.is_empty() {
            path.push('[');
            path.push_str(&token);
            path.push(']');
        } else {
            path = super::validate::join_path(&path, &token);
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_from_js() {
        let v = json::parse(
            r#"{"strict":true,"nowMs":1000,"maxAgeMs":null,"maxFutureMs":5,"maxBytes":10}"#,
        )
        .unwrap_or_default();
        let o = ParseEventOptions::from_value(&v);
        assert_eq!(
            o,
            ParseEventOptions {
                strict: true,
                now_ms: Some(1000.0),
                max_age_ms: None,
                max_future_ms: Some(5.0),
                max_bytes: 10
            }
        );
        let v = json::parse(r#"{"maxAgeMs":-1,"maxBytes":"x"}"#).unwrap_or_default();
        assert_eq!(
            ParseEventOptions::from_value(&v),
            ParseEventOptions::default()
        );
        assert_eq!(
            ParseEventOptions::from_value(&Value::Null),
            ParseEventOptions::default()
        );
    }

    #[test]
    fn json_positions_in_utf16() {
        // `{"ééé": x}`: the `x` is byte 11 but JS index 8; `😀` is two UTF-16 units.
        let e = parse_event("{\"ééé\": x}".as_bytes(), &ParseEventOptions::default()).unwrap_err();
        assert_eq!(e.json.as_ref().map(|j| j.offset), Some(11));
        assert_eq!(e.json_utf16, Some((8, 9)));
        let v = e.to_value();
        let j = v.get("json");
        assert_eq!(
            j.and_then(|j| j.get("offset")).and_then(Value::as_f64),
            Some(8.0)
        );
        assert_eq!(
            j.and_then(|j| j.get("column")).and_then(Value::as_f64),
            Some(9.0)
        );
        assert_eq!(json::utf16_position("a\n😀b".as_bytes(), 6), (4, 3));
        let e = parse_event("\n😀x".as_bytes(), &ParseEventOptions::default()).unwrap_err();
        assert!(e.message.ends_with("line 2, column 1."), "{}", e.message);
        let e = parse_event("[\"😀\" x]".as_bytes(), &ParseEventOptions::default()).unwrap_err();
        assert!(e.message.ends_with("line 1, column 7."), "{}", e.message);
        assert_eq!(e.json_utf16, Some((6, 7)));
        assert_eq!(json::utf16_position(b"\xff", 0), (0, 1));
    }

    #[test]
    fn duplicate_key_columns_in_utf16() {
        let body = "{\"😀\":1,\"😀\":2,\n \"é\":1, \"é\":2}";
        let err = parse_event(body.as_bytes(), &ParseEventOptions::default()).unwrap_err();
        let warnings = err.event.map(|e| e.warnings).unwrap_or_default();
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        // The second `"😀"` is at JS column 9 (the emoji is two UTF-16 units), char column 8.
        assert!(messages[0].contains("line 1, column 9"), "{}", messages[0]);
        assert!(messages[1].contains("line 2, column 9"), "{}", messages[1]);
    }

    #[test]
    fn pointers() {
        assert_eq!(pointer_to_path(""), "");
        assert_eq!(
            pointer_to_path("/payload/attendees/0/email"),
            "payload.attendees[0].email"
        );
        assert_eq!(pointer_to_path("/a~1b"), "[\"a/b\"]");
        // As `replace("~1", "/")` then `replace("~0", "~")` on each token.
        for token in ["~01", "~~1", "~10", "~0~1", "~", "a~", "~2", "~~", "é~1ü"] {
            let expected = token.replace("~1", "/").replace("~0", "~");
            assert_eq!(
                pointer_to_path(&format!("/{token}")),
                super::super::validate::join_path("", &expected),
                "{token}"
            );
        }
    }
}
