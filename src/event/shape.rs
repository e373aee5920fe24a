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
pub enum ReferenceForm {
    /// A booking `responses` entry that is a plain value (`"name": "John Doe"`, as in the
    /// reference's BOOKING_CREATED example) where the sender sends `{label, value}`.
    PlainResponseValue,
}

impl ReferenceForm {
    /// The stable warning code: `REFERENCE_RESPONSE_VALUE`.
    pub fn code(&self) -> &'static str {
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
    /// What the field means, for documentation and generated types.
    pub description: &'static str,
    /// A realistic example. For scalars it is the value as text (`"42"`, `"true"`, a string).
    /// For an optional object/array/map/any field a non-empty example puts the field in samples;
    /// for a map it is also the sample key; for `Any` the text `{}`/`[]` gives an empty
    /// object/array, anything else a string. `"null"` on a nullable field samples `null`.
    pub example: &'static str,
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
        match self {
            Ty::String => "string".into(),
            Ty::Number => "number".into(),
            Ty::Integer => "integer".into(),
            Ty::Bool => "boolean".into(),
            Ty::DateTime => "date-time string".into(),
            Ty::Email => "email string".into(),
            Ty::Url => "URL string".into(),
            Ty::Enum(values) => format!("one of {}", quoted_list(values)),
            Ty::Object(_) | Ty::Map(_) => "object".into(),
            Ty::Array(_) => "array".into(),
            Ty::Any => "any value".into(),
            Ty::Nullable(inner) => format!("{} or null", inner.describe()),
            Ty::Named(name, inner) => format!("{} ({name})", inner.describe()),
            Ty::Either(alt) => alt.sender.describe(),
        }
    }
}

/// `"A", "B" or "C"`.
pub(crate) fn quoted_list(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// A required field.
macro_rules! req {
    ($name:literal, $ty:expr, $desc:literal, $ex:literal) => {
        $crate::event::shape::Field {
            name: $name,
            ty: $ty,
            required: true,
            description: $desc,
            example: $ex,
        }
    };
}

/// An optional field (may be absent or `null`).
macro_rules! opt {
    ($name:literal, $ty:expr, $desc:literal, $ex:literal) => {
        $crate::event::shape::Field {
            name: $name,
            ty: $ty,
            required: false,
            description: $desc,
            example: $ex,
        }
    };
}

pub(crate) use {opt, req};

/// True for an RFC 3339 / ISO-8601 date-time: `YYYY-MM-DDTHH:MM[:SS[.fff…]](Z|±HH:MM)`.
/// Lowercase `t`/`z` and a space separator are accepted too (RFC 3339 allows them).
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        let part = b.get(from..from + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(
            part.iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')),
        )
    };
    let check = || -> Option<()> {
        let _year = digits(0, 4)?;
        (b.get(4) == Some(&b'-')).then_some(())?;
        let month = digits(5, 2)?;
        (b.get(7) == Some(&b'-')).then_some(())?;
        let day = digits(8, 2)?;
        matches!(b.get(10), Some(b'T' | b't' | b' ')).then_some(())?;
        let hour = digits(11, 2)?;
        (b.get(13) == Some(&b':')).then_some(())?;
        let minute = digits(14, 2)?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
            return None;
        }
        let mut i = 16;
        if b.get(i) == Some(&b':') {
            let second = digits(i + 1, 2)?;
            if second > 60 {
                return None;
            }
            i += 3;
            if b.get(i) == Some(&b'.') {
                let start = i + 1;
                i = start;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                if i == start {
                    return None;
                }
            }
        }
        match b.get(i) {
            Some(b'Z' | b'z') if i + 1 == b.len() => Some(()),
            Some(b'+' | b'-') => {
                let oh = digits(i + 1, 2)?;
                (b.get(i + 3) == Some(&b':')).then_some(())?;
                let om = digits(i + 4, 2)?;
                (oh <= 23 && om <= 59 && i + 6 == b.len()).then_some(())
            }
            _ => None,
        }
    };
    check().is_some()
}

/// Milliseconds since the epoch for a date-time accepted by [`is_date_time`], as JS `Date.parse`.
pub fn date_time_ms(s: &str) -> Option<f64> {
    if !is_date_time(s) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse().ok() };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi) = (num(11..13)?, num(14..16)?);
    let bytes = s.as_bytes();
    let mut i = 16;
    let mut sec = 0i64;
    let mut millis = 0f64;
    if bytes.get(i) == Some(&b':') {
        sec = num(17..19)?;
        i = 19;
        if bytes.get(i) == Some(&b'.') {
            let start = i + 1;
            i = start;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let frac = s.get(start..i)?;
            let first3: String = frac.chars().chain("000".chars()).take(3).collect();
            millis = first3.parse::<f64>().ok()?;
        }
    }
    let offset_min = match bytes.get(i) {
        Some(b'+' | b'-') => {
            let sign = if bytes.get(i) == Some(&b'-') { -1 } else { 1 };
            sign * (num(i + 1..i + 3)? * 60 + num(i + 4..i + 6)?)
        }
        _ => 0,
    };
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    Some(secs as f64 * 1000.0 + millis)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// ISO-8601 string with milliseconds and `Z` for epoch milliseconds, as JS `toISOString`
/// (years 0–9999 only; `None` outside).
pub fn iso_from_ms(ms: f64) -> Option<String> {
    if !ms.is_finite() {
        return None;
    }
    let total = ms.floor() as i64;
    let millis = total.rem_euclid(1000);
    let secs = total.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = crate::delivery::tz::civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return None;
    }
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

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
    fn date_times() {
        for ok in [
            "2024-01-15T10:00:00.000Z",
            "2024-01-15T10:00:00Z",
            "2024-01-15T10:00Z",
            "2024-01-15T10:00:00+01:00",
            "2024-01-15T10:00:00.123456-05:30",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "",
            "2024-01-15",
            "2024-13-15T10:00:00Z",
            "2024-01-15T10:00:00",
            "2024-01-15T10:00:00.Z",
            "15/01/2024",
            "2024-01-15T10:00:00Zjunk",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn date_time_round_trip() {
        let ms = date_time_ms("2024-01-15T10:00:00.000Z");
        assert_eq!(ms, Some(1_705_312_800_000.0));
        assert_eq!(date_time_ms("2024-01-15T11:00:00.000+01:00"), ms);
        assert_eq!(
            iso_from_ms(1_705_312_800_123.0).as_deref(),
            Some("2024-01-15T10:00:00.123Z")
        );
        assert_eq!(
            iso_from_ms(0.0).as_deref(),
            Some("1970-01-01T00:00:00.000Z")
        );
        assert_eq!(iso_from_ms(f64::NAN), None);
    }

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
