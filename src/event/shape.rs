//! A small static schema language for payload shapes.
//!
//! Every trigger's payload is described once, as `const` data built from [`Ty`] and [`Field`].
//! Validation ([`super::validate`]), samples ([`super::sample`]), the JSON Schema and TypeScript
//! exports and the template-variable list ([`super::schema`]) are all derived from it.
//!
//! Rules shared by every consumer:
//! - Objects are open: unknown extra fields are always allowed (the sender adds fields often).
//! - A required field must be present and not `null` (unless its type is [`Ty::Nullable`]).
//! - An optional field may be absent **or `null`**: the sender serialises many unset values as
//!   `null`, and a receiver must never reject a real payload for that.

pub use super::attrs::Attrs;

/// The type of a field.
#[derive(Debug)]
pub enum Ty {
    /// Any string.
    String,
    /// Any finite number.
    Number,
    /// A finite number without a fractional part.
    Integer,
    /// `true` or `false`.
    Bool,
    /// An ISO-8601 / RFC 3339 date-time string such as `2024-01-15T10:00:00.000Z`.
    DateTime,
    /// A string with one `@`, a non-empty local part and domain, and no whitespace.
    Email,
    /// An absolute URL (`scheme:` followed by something, no whitespace).
    Url,
    /// One of the listed strings.
    Enum(&'static [&'static str]),
    /// An object with the listed fields (extra fields allowed).
    Object(&'static [Field]),
    /// An array whose items all have the given type.
    Array(&'static Ty),
    /// An object used as a dictionary: any keys, every value of the given type.
    Map(&'static Ty),
    /// Anything (not checked).
    Any,
    /// The inner type or `null`.
    Nullable(&'static Ty),
    /// A named type (an interface in TypeScript, a `$defs` entry in JSON Schema).
    Named(&'static str, &'static Ty),
    /// A value the sender sends in one form and the API reference documents in another: the
    /// sender's form is accepted silently, the reference's with a warning naming the difference.
    Either(&'static Alternative),
}

/// Two documented forms of one value (see [`Ty::Either`]).
#[derive(Debug)]
pub struct Alternative {
    /// What the real sender sends (validated, sampled and listed as template variables).
    pub sender: Ty,
    /// What the API reference documents instead (accepted with a warning).
    pub reference: Ty,
    /// The warning reported when a value has the reference's form only.
    pub form: ReferenceForm,
}

/// A difference between the API reference's documented form and what the sender sends,
/// reported as a warning with a stable code (never as a rejection).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReferenceForm {
    /// A booking `responses` entry that is a plain value (`"name": "John Doe"`, as in the
    /// reference's BOOKING_CREATED example) where the sender sends `{label, value}`.
    PlainResponseValue,
}

impl ReferenceForm {
    /// The stable warning code: `REFERENCE_RESPONSE_VALUE`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ReferenceForm::PlainResponseValue => "REFERENCE_RESPONSE_VALUE",
        }
    }

    /// What the difference is and what to do, for the warning's message (`path` is where).
    pub fn message(&self, path: &str) -> String {
        match self {
            ReferenceForm::PlainResponseValue => format!(
                "`{path}` is a plain value, as in the API reference's example; the Cal.com sender \
                 sends `{{label, value}}` objects here. Read it as the answer itself (code that \
                 reads `.value` gets undefined)."
            ),
        }
    }
}

/// One field of an object.
#[derive(Debug)]
pub struct Field {
    /// The JSON key.
    pub name: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Whether the field must be present (and not `null`).
    pub required: bool,
    /// What the field means, for documentation and generated types. Empty in builds without
    /// the `tools` feature (the wasm hot core), which hold no export that reads it.
    pub description: &'static str,
    /// A realistic example (empty without the `tools` feature, as `description`). For scalars it is the value as text (`"42"`, `"true"`, a string).
    /// For an optional object/array/map/any field a non-empty example puts the field in samples;
    /// for a map it is also the sample key; for `Any` the text `{}`/`[]` gives an empty
    /// object/array, anything else a string. `"null"` on a nullable field samples `null`.
    pub example: &'static str,
    /// What the value holds beyond its type (free text, a URL, an object with varying keys…).
    pub attrs: Attrs,
}

/// A payload shape: the fields of the `payload` object, in groups so that common parts
/// (the CalendarEvent of booking triggers) are written once and shared.
#[derive(Debug)]
pub struct Shape {
    /// Field groups, concatenated in order.
    pub groups: &'static [&'static [Field]],
}

impl Shape {
    /// All fields, in order.
    pub fn fields(&self) -> impl Iterator<Item = &'static Field> {
        self.groups.iter().flat_map(|g| g.iter())
    }

    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields().find(|f| f.name == name)
    }
}

impl Ty {
    /// The type with any [`Ty::Named`] wrappers removed; a [`Ty::Either`] resolves to the
    /// sender's form.
    pub fn resolve(&self) -> &Ty {
        let mut ty = self;
        loop {
            match ty {
                Ty::Named(_, inner) => ty = inner,
                Ty::Either(alt) => ty = &alt.sender,
                _ => return ty,
            }
        }
    }

    /// A short name for messages: `string`, `date-time string`, `array`, ...
    pub fn describe(&self) -> String {
        let mut out = String::new();
        self.describe_into(&mut out);
        out
    }

    /// [`Ty::describe`] appended to `out` (one string grown, no allocation per part).
    fn describe_into(&self, out: &mut String) {
        let name = match self {
            Ty::String => "string",
            Ty::Number => "number",
            Ty::Integer => "integer",
            Ty::Bool => "boolean",
            Ty::DateTime => "date-time string",
            Ty::Email => "email string",
            Ty::Url => "URL string",
            Ty::Enum(values) => {
                out.push_str("one of ");
                return quoted_list_into(out, values);
            }
            Ty::Object(_) | Ty::Map(_) => "object",
            Ty::Array(_) => "array",
            Ty::Any => "any value",
            Ty::Nullable(inner) => {
                inner.describe_into(out);
                " or null"
            }
            Ty::Named(name, inner) => {
                inner.describe_into(out);
                out.push_str(" (");
                out.push_str(name);
                ")"
            }
            Ty::Either(alt) => return alt.sender.describe_into(out),
        };
        out.push_str(name);
    }
}

/// `"A", "B" or "C"`.
pub(crate) fn quoted_list(values: &[&str]) -> String {
    let mut out = String::new();
    quoted_list_into(&mut out, values);
    out
}

fn quoted_list_into(out: &mut String, values: &[&str]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == values.len() { " or " } else { ", " });
        }
        out.push('"');
        out.push_str(v);
        out.push('"');
    }
}

/// A required field. Optional last arguments are [`Attrs`]: `free_text`, `url`, `open_keys`,
/// `object("name")`.
macro_rules! req {
    ($name:literal, $ty:expr, $desc:literal, $ex:literal $(, $attr:ident $(($pick:literal))?)* $(,)?) => {
        $crate::event::shape::Field {
            name: $name,
            ty: $ty,
            required: true,
            description: $crate::event::shape::tools_text!($desc),
            example: $crate::event::shape::tools_text!($ex),
            attrs: $crate::event::shape::Attrs::NONE $(.$attr($($pick)?))*,
        }
    };
}

/// An optional field (may be absent or `null`), with optional [`Attrs`] as for `req!`.
macro_rules! opt {
    ($name:literal, $ty:expr, $desc:literal, $ex:literal $(, $attr:ident $(($pick:literal))?)* $(,)?) => {
        $crate::event::shape::Field {
            name: $name,
            ty: $ty,
            required: false,
            description: $crate::event::shape::tools_text!($desc),
            example: $crate::event::shape::tools_text!($ex),
            attrs: $crate::event::shape::Attrs::NONE $(.$attr($($pick)?))*,
        }
    };
}

/// A field's description or example: the text itself with the `tools` feature (the JSON
/// Schema, TypeScript, sample and template-variable exports read it), `""` without it, so
/// that the hot core's data (which keeps every shape for validation) does not hold it.
#[cfg(feature = "tools")]
macro_rules! tools_text {
    ($text:literal) => {
        $text
    };
}

/// Without the `tools` feature: no text (see the other definition).
#[cfg(not(feature = "tools"))]
macro_rules! tools_text {
    ($text:literal) => {
        ""
    };
}

pub(crate) use {opt, req, tools_text};

pub use crate::time::{date_time_ms, is_date_time, iso_from_ms};

/// True for a plausible email address: exactly one `@`, non-empty sides, no whitespace.
pub fn is_email(s: &str) -> bool {
    let mut parts = s.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty() && !domain.is_empty() && !s.chars().any(char::is_whitespace)
        }
        _ => false,
    }
}

/// True for an absolute URL: a scheme (`[A-Za-z][A-Za-z0-9+.-]*:`) followed by at least one
/// character, and no whitespace or control characters.
pub fn is_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        && !rest.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_urls() {
        assert!(is_email("a@b.c"));
        assert!(!is_email("a@@b"));
        assert!(!is_email("a b@c"));
        assert!(!is_email("@b"));
        assert!(is_url("https://x.test/a"));
        assert!(is_url("mailto:x@y"));
        assert!(!is_url("/relative"));
        assert!(!is_url("https://x y"));
        assert!(!is_url("1http://x"));
    }

    #[test]
    fn lists() {
        assert_eq!(quoted_list(&["A"]), "\"A\"");
        assert_eq!(quoted_list(&["A", "B", "C"]), "\"A\", \"B\" or \"C\"");
    }
}
