//! Validate a JSON [`Value`] against a [`Shape`], collecting every issue.
//!
//! Recursion follows the static shape, never the value: values under [`Ty::Any`] are not
//! visited, so arbitrarily deep input cannot exhaust the stack here.

use super::shape::{is_date_time, is_email, is_url, quoted_list, Field, ReferenceForm, Shape, Ty};
use super::trigger::{trigger, TriggerInfo};
use crate::json::{Object, Value};
use std::fmt;

/// Stable machine-readable issue codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IssueCode {
    /// A required field is missing or `null`.
    Required,
    /// The value has the wrong JSON type.
    WrongType,
    /// Right JSON type, wrong format (date-time, email, URL, integer, finite number).
    InvalidFormat,
    /// A string that is not one of the allowed values.
    InvalidValue,
    /// `triggerEvent` is not a known trigger (reported in strict mode only).
    UnknownTrigger,
    /// A key appears twice in one object (an issue in strict mode, a warning otherwise).
    DuplicateKey,
    /// A value in the API reference's documented form rather than the sender's (always a
    /// warning, never a rejection): see [`ReferenceForm`].
    Reference(ReferenceForm),
}

impl IssueCode {
    /// The code as a string: `REQUIRED`, `WRONG_TYPE`, ...
    pub fn as_str(&self) -> &'static str {
        match self {
            IssueCode::Required => "REQUIRED",
            IssueCode::WrongType => "WRONG_TYPE",
            IssueCode::InvalidFormat => "INVALID_FORMAT",
            IssueCode::InvalidValue => "INVALID_VALUE",
            IssueCode::UnknownTrigger => "UNKNOWN_TRIGGER",
            IssueCode::DuplicateKey => "DUPLICATE_KEY",
            IssueCode::Reference(form) => form.as_str(),
        }
    }

    /// True for codes that are only ever warnings (an event with them is still valid).
    pub fn is_warning(&self) -> bool {
        matches!(self, IssueCode::Reference(_))
    }
}

impl fmt::Display for IssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a payload.
#[derive(Clone, Debug, PartialEq)]
pub struct Issue {
    /// Where: `payload.attendees[0].email` (keys that are not identifiers as `["key"]`).
    pub path: String,
    /// What kind of problem.
    pub code: IssueCode,
    /// Human-readable explanation.
    pub message: String,
}

impl Issue {
    /// `{path, code, message}` for JS.
    pub fn to_value(&self) -> Value {
        super::object_of(&mut [
            ("path", super::text(&self.path)),
            ("code", super::text(self.code.as_str())),
            ("message", super::text(&self.message)),
        ])
    }
}

/// Issues as a JS array of `{path, code, message}`.
pub fn issues_to_value(issues: &[Issue]) -> Value {
    Value::array(issues.iter().map(Issue::to_value).collect())
}

/// `base.key`, or `base["key"]` when `key` is not an identifier; `key` alone at the root.
pub fn join_path(base: &str, key: &str) -> String {
    // By bytes: an identifier is ASCII, and every character escaped below is `"`, `\`, one
    // byte below 0x20 or 0x7F, or a C1 control (U+0080–U+009F: 0xC2 then 0x80–0x9F), so every
    // cut is on a character boundary (no char decoding or encoding).
    let bytes = key.as_bytes();
    let ident = bytes
        .first()
        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_' || c == b'$')
        && bytes
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$');
    let mut path = String::with_capacity(base.len() + key.len() + 4);
    path.push_str(base);
    if ident {
        if !base.is_empty() {
            path.push('.');
        }
        path.push_str(key);
        return path;
    }
    path.push_str("[\"");
    let (mut copied, mut i) = (0, 0);
    while let Some(&b) = bytes.get(i) {
        // The escaped character's length and its code when it is a control character.
        let (len, control) = match (b, bytes.get(i + 1)) {
            (b'"' | b'\\', _) => (1, None),
            (0..=0x1f | 0x7f, _) => (1, Some(b)),
            (0xc2, Some(&c @ 0x80..=0x9f)) => (2, Some(c)),
            _ => {
                i += 1;
                continue;
            }
        };
        path.push_str(key.get(copied..i).unwrap_or_default());
        path.push('\\');
        match control {
            // `\u` and four lowercase hex digits (control characters are below U+00A0).
            Some(c) => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                path.push_str("u00");
                path.push(char::from(HEX[usize::from(c >> 4)]));
                path.push(char::from(HEX[usize::from(c & 15)]));
            }
            None => path.push(char::from(b)),
        }
        i += len;
        copied = i;
    }
    path.push_str(key.get(copied..).unwrap_or_default());
    path.push_str("\"]");
    path
}

/// A path built lazily: validation walks every field of a payload, but only a reported issue
/// needs its path as text.
#[derive(Clone, Copy)]
enum Path<'a> {
    /// A path given as text.
    Text(&'a str),
    /// `parent.key` / `parent["key"]` (see [`join_path`]).
    Key(&'a Path<'a>, &'a str),
    /// `parent[i]`.
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn render(&self) -> String {
        match self {
            Path::Text(s) => s.to_string(),
            Path::Key(parent, key) => join_path(&parent.render(), key),
            Path::Index(parent, i) => format!("{}[{i}]", parent.render()),
        }
    }
}

/// Validate `payload` against `shape`; issue paths start with `path` (e.g. `"payload"`).
pub fn validate_shape(shape: &Shape, payload: &Value, path: &str, issues: &mut Vec<Issue>) {
    let Some(object) = payload.as_object() else {
        issues.push(wrong_type(path, "object", payload));
        return;
    };
    // Group by group: one (non-generic) copy of the field loop serves shapes and object types.
    for group in shape.groups {
        validate_fields(group, object, &Path::Text(path), issues);
    }
}

fn validate_fields(fields: &[Field], object: &Object, path: &Path<'_>, issues: &mut Vec<Issue>) {
    for field in fields {
        let field_path = Path::Key(path, field.name);
        match object.get(field.name) {
            None => {
                if field.required {
                    let field_path = field_path.render();
                    issues.push(Issue {
                        message: format!("`{field_path}` is required ({}).", field.ty.describe()),
                        path: field_path,
                        code: IssueCode::Required,
                    });
                }
            }
            Some(Value::Null) if !accepts_null(&field.ty) => {
                if field.required {
                    let field_path = field_path.render();
                    issues.push(Issue {
                        message: format!(
                            "`{field_path}` is required but is null (expected {}).",
                            field.ty.describe()
                        ),
                        path: field_path,
                        code: IssueCode::Required,
                    });
                }
            }
            Some(value) => check_value(&field.ty, value, &field_path, issues),
        }
    }
}

fn accepts_null(ty: &Ty) -> bool {
    matches!(ty.resolve(), Ty::Nullable(_) | Ty::Any)
}

/// Validate one value against a type, pushing issues found at or below `path`.
pub fn validate_value(ty: &Ty, value: &Value, path: &str, issues: &mut Vec<Issue>) {
    check_value(ty, value, &Path::Text(path), issues);
}

fn check_value(ty: &Ty, value: &Value, path: &Path<'_>, issues: &mut Vec<Issue>) {
    match ty {
        Ty::Any => {}
        Ty::Named(_, inner) => check_value(inner, value, path, issues),
        Ty::Either(alt) => {
            let before = issues.len();
            check_value(&alt.sender, value, path, issues);
            if issues.len() == before {
                return;
            }
            // Not the sender's form: the reference's form is fine, with a warning.
            let mut reference = Vec::new();
            check_value(&alt.reference, value, path, &mut reference);
            if reference.is_empty() {
                issues.truncate(before);
                let path = path.render();
                issues.push(Issue {
                    message: alt.form.message(&path),
                    path,
                    code: IssueCode::Reference(alt.form),
                });
            }
        }
        Ty::Nullable(inner) => {
            if !value.is_null() {
                check_value(inner, value, path, issues);
            }
        }
        Ty::String | Ty::DateTime | Ty::Email | Ty::Url | Ty::Enum(_) => {
            let Some(s) = value.as_str() else {
                return push_wrong_type(issues, path, &ty.describe(), value);
            };
            let problem = match ty {
                Ty::DateTime if !is_date_time(s) => Some((
                    IssueCode::InvalidFormat,
                    "an ISO-8601 date-time such as 2024-01-15T10:00:00.000Z".to_string(),
                )),
                Ty::Email if !is_email(s) => {
                    Some((IssueCode::InvalidFormat, "an email address".to_string()))
                }
                Ty::Url if !is_url(s) => {
                    Some((IssueCode::InvalidFormat, "an absolute URL".to_string()))
                }
                Ty::Enum(values) if !values.contains(&s) => {
                    Some((IssueCode::InvalidValue, quoted_list(values)))
                }
                _ => None,
            };
            if let Some((code, expected)) = problem {
                push_should_be(issues, path, code, &expected, &preview(s));
            }
        }
        Ty::Number | Ty::Integer => {
            let Some(n) = value.as_f64() else {
                return push_wrong_type(issues, path, &ty.describe(), value);
            };
            let problem = if !n.is_finite() {
                Some("a finite number (the JSON number is out of range)")
            } else if matches!(ty, Ty::Integer) && n.fract() != 0.0 {
                Some("an integer")
            } else {
                None
            };
            if let Some(expected) = problem {
                let got = crate::json::format_number(n);
                push_should_be(issues, path, IssueCode::InvalidFormat, expected, &got);
            }
        }
        Ty::Bool => {
            if value.as_bool().is_none() {
                push_wrong_type(issues, path, "boolean", value);
            }
        }
        Ty::Object(fields) => match value.as_object() {
            Some(object) => validate_fields(fields, object, path, issues),
            None => push_wrong_type(issues, path, "object", value),
        },
        Ty::Map(inner) => match value.as_object() {
            Some(object) => {
                for (key, item) in object.iter() {
                    if item.is_null() && !accepts_null(inner) {
                        continue; // an unset entry, as optional fields
                    }
                    check_value(inner, item, &Path::Key(path, key), issues);
                }
            }
            None => push_wrong_type(issues, path, "object", value),
        },
        Ty::Array(inner) => match value.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    let item_path = Path::Index(path, i);
                    if item.is_null() && !accepts_null(inner) {
                        push_wrong_type(issues, &item_path, &inner.describe(), item);
                        continue;
                    }
                    check_value(inner, item, &item_path, issues);
                }
            }
            None => push_wrong_type(issues, path, "array", value),
        },
    }
}

/// Push a [`wrong_type`] issue at `path` (one copy of the path rendering and the push for
/// every type of [`check_value`]; issues are the cold path of validation).
#[inline(never)]
fn push_wrong_type(issues: &mut Vec<Issue>, path: &Path<'_>, expected: &str, got: &Value) {
    issues.push(wrong_type(&path.render(), expected, got));
}

/// Push "`path` should be `expected`, got `got`." with `code`.
#[inline(never)]
fn push_should_be(
    issues: &mut Vec<Issue>,
    path: &Path<'_>,
    code: IssueCode,
    expected: &str,
    got: &str,
) {
    let path = path.render();
    issues.push(Issue {
        message: format!("`{path}` should be {expected}, got {got}."),
        path,
        code,
    });
}

pub(crate) fn wrong_type(path: &str, expected: &str, got: &Value) -> Issue {
    Issue {
        path: path.to_string(),
        code: IssueCode::WrongType,
        message: format!(
            "`{}` should be {expected}, got {}.",
            display_path(path),
            got.type_name()
        ),
    }
}

fn display_path(path: &str) -> &str {
    if path.is_empty() {
        "(body)"
    } else {
        path
    }
}

/// A short quoted preview of a string for messages.
fn preview(s: &str) -> String {
    let cut = s.char_indices().nth(40).map_or(s.len(), |(at, _)| at);
    let mut out = String::with_capacity(cut + 5);
    out.push('"');
    out.push_str(s.get(..cut).unwrap_or(s));
    if cut < s.len() {
        out.push('…');
    }
    out.push('"');
    out
}

/// Validate a whole event body in the normal envelope `{triggerEvent, createdAt, payload}`.
///
/// Returns the trigger (when known) and all issues, including warnings (codes for which
/// [`IssueCode::is_warning`] holds: the body is valid if only those are found). An unknown trigger is an issue
/// (`UNKNOWN_TRIGGER`) only when `strict`; otherwise only the envelope is checked.
pub fn validate_event(body: &Value, strict: bool) -> (Option<&'static TriggerInfo>, Vec<Issue>) {
    let mut issues = Vec::new();
    let Some(root) = body.as_object() else {
        issues.push(wrong_type("", "object", body));
        return (None, issues);
    };
    let info = check_trigger_event(root, strict, &mut issues);
    check_created_at(root, "createdAt", &mut issues);
    match root.get("payload") {
        None | Some(Value::Null) => issues.push(Issue {
            path: "payload".into(),
            code: IssueCode::Required,
            message: "`payload` is required (object).".into(),
        }),
        Some(payload) => match info {
            Some(info) => validate_shape(info.shape, payload, "payload", &mut issues),
            None => {
                if payload.as_object().is_none() {
                    issues.push(wrong_type("payload", "object", payload));
                }
            }
        },
    }
    (info, issues)
}

/// [`validate_event`] as a JS object `{ok, triggerEvent, known, issues, warnings}`
/// (`triggerEvent` is `null` when missing or not a string; `ok` ignores warnings).
pub fn validate_event_value(body: &Value, strict: bool) -> Value {
    let (info, all) = validate_event(body, strict);
    let (warnings, issues): (Vec<Issue>, Vec<Issue>) =
        all.into_iter().partition(|i| i.code.is_warning());
    let mut o = Object::new();
    o.insert("ok", Value::Bool(issues.is_empty()));
    let name = body
        .get("triggerEvent")
        .and_then(Value::as_str)
        .map_or(Value::Null, Value::string);
    o.insert("triggerEvent", name);
    o.insert("known", Value::Bool(info.is_some()));
    o.insert("issues", issues_to_value(&issues));
    o.insert("warnings", issues_to_value(&warnings));
    Value::object(o)
}

/// Check `triggerEvent` of a body; returns the trigger when known.
pub(crate) fn check_trigger_event(
    root: &Object,
    strict: bool,
    issues: &mut Vec<Issue>,
) -> Option<&'static TriggerInfo> {
    match root.get("triggerEvent") {
        None | Some(Value::Null) => {
            issues.push(Issue {
                path: "triggerEvent".into(),
                code: IssueCode::Required,
                message: "`triggerEvent` is required (string).".into(),
            });
            None
        }
        Some(Value::String(name)) => {
            let info = trigger(name);
            if info.is_none() && strict {
                let hint = trigger(&name.to_ascii_uppercase())
                    .map(|t| format!(" Did you mean \"{}\"?", t.name))
                    .unwrap_or_default();
                issues.push(Issue {
                    path: "triggerEvent".into(),
                    code: IssueCode::UnknownTrigger,
                    message: format!("Unknown trigger {}.{hint}", preview(name)),
                });
            }
            info
        }
        Some(other) => {
            issues.push(wrong_type("triggerEvent", "string", other));
            None
        }
    }
}

/// Check that `root[key]` is a required date-time string.
pub(crate) fn check_created_at(root: &Object, key: &str, issues: &mut Vec<Issue>) {
    match root.get(key) {
        None | Some(Value::Null) => issues.push(Issue {
            path: key.into(),
            code: IssueCode::Required,
            message: format!("`{key}` is required (date-time string)."),
        }),
        Some(value) => validate_value(&Ty::DateTime, value, key, issues),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(join_path("", "a"), "a");
        assert_eq!(join_path("payload", "uid"), "payload.uid");
        assert_eq!(
            join_path("payload.responses", "Email Address"),
            "payload.responses[\"Email Address\"]"
        );
        assert_eq!(join_path("x", "a\"b"), "x[\"a\\\"b\"]");
        // Control characters as `format!("\\u{:04x}")` wrote them, backslashes escaped.
        for c in ['\0', '\n', '\u{1f}', '\u{7f}', '\u{9f}'] {
            let expected = format!("[\"a\\u{:04x}\\\\é\"]", c as u32);
            assert_eq!(join_path("", &format!("a{c}\\é")), expected, "{c:?}");
        }
        // Every character up to U+0800 (one, two and three UTF-8 bytes) in keys that are not
        // identifiers, against the rule by characters.
        let by_chars = |key: &str| {
            let mut out = String::from("[\"");
            for c in key.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out + "\"]"
        };
        for c in (0..0x800u32)
            .chain([0xfeff, 0x1f600])
            .filter_map(char::from_u32)
        {
            for key in [
                format!("-{c}"),
                format!("-é{c}\u{85}x{c}"),
                format!("-{c}{c}"),
            ] {
                assert_eq!(join_path("", &key), by_chars(&key), "{c:?}");
            }
        }
    }

    #[test]
    fn previews() {
        assert_eq!(preview(""), "\"\"");
        let forty = "é".repeat(40);
        assert_eq!(preview(&forty), format!("\"{forty}\""));
        assert_eq!(preview(&format!("{forty}x")), format!("\"{forty}…\""));
        assert_eq!(quoted_list(&[]), "");
        assert_eq!(quoted_list(&["A", "B"]), "\"A\" or \"B\"");
    }

    #[test]
    fn scalar_checks() {
        let mut issues = Vec::new();
        validate_value(&Ty::Integer, &Value::Number(1.5), "n", &mut issues);
        validate_value(&Ty::Number, &Value::Number(f64::INFINITY), "m", &mut issues);
        validate_value(&Ty::Enum(&["A"]), &Value::string("B"), "e", &mut issues);
        validate_value(&Ty::Email, &Value::string("nope"), "x", &mut issues);
        validate_value(&Ty::Bool, &Value::string("true"), "b", &mut issues);
        let codes: Vec<_> = issues.iter().map(|i| (i.path.as_str(), i.code)).collect();
        assert_eq!(
            codes,
            [
                ("n", IssueCode::InvalidFormat),
                ("m", IssueCode::InvalidFormat),
                ("e", IssueCode::InvalidValue),
                ("x", IssueCode::InvalidFormat),
                ("b", IssueCode::WrongType)
            ]
        );
    }
}
