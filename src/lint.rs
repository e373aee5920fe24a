//! The payload-template linter (its own module: the template engine knows nothing of
//! Cal.com; this module reads the trigger shapes of [`crate::event`]): tells a Cal.com user where a custom `payloadTemplate` will break on the
//! real sender, with machine-applicable fixes.
//!
//! The real pipeline (see `handlebars-semantics.md` §1): `compile(template)(data)`, then every
//! `&quot;` becomes `"`; the content type is `application/json` iff `JSON.parse(template)` is
//! truthy, and then the body is `JSON.stringify(JSON.parse(rendered))` (or the literal `false`
//! when that parse fails). Booking-style data is flat (`{...payload, triggerEvent, createdAt}`);
//! generic triggers (FORM_SUBMITTED and friends) render against
//! `{...rootData, triggerEvent, createdAt, payload}`.
//!
//! Codes (stable):
//!
//! | code | severity | finding |
//! |---|---|---|
//! | `TEMPLATE_SYNTAX` | error | Handlebars cannot parse the template: nothing is sent |
//! | `REFERENCE_INDEX_SYNTAX` | error (info in the reference dialect) | `{{a[0].b}}`, fix `{{a.0.b}}` |
//! | `TRIPLE_CLOSE` | error | `{"a": {{x}}}`, fix `{{x}} }` |
//! | `NUMERIC_SEGMENT` | error | `{{arr.0}}`, fix `{{arr.[0]}}` |
//! | `TEMPLATE_LIMIT` | error | the template exceeds the engine's limits |
//! | `REFERENCE_PAYLOAD_PREFIX` | warning (info in the reference dialect) | `{{payload.uid}}` on flat data, fix `{{uid}}` |
//! | `JSON_BREAKING_VALUE` | warning | free text inside a JSON string can turn the body into `false` |
//! | `HTML_ENTITY` | warning (URLs) / info (free text) | `{{x}}` escapes `& < > ' \` =`, fix `{{{x}}}` |
//! | `OBJECT_RENDER` | warning | `{{organizer}}` renders `[object Object]`, fix `{{organizer.name}}` |
//! | `NOT_JSON_TEMPLATE` | warning | the body is sent form-urlencoded (unquoted mustache, comment, trailing comma, quotes, BOM, falsy JSON) |
//! | `UNKNOWN_HELPER` | error (warning if hash-only) | `{{foo bar}}`: `Missing helper` |
//! | `HELPER_USAGE` | error | a built-in helper with the wrong arguments (`{{#if}}`, `{{lookup x}}`, `{{if x}}`) |
//! | `UNSUPPORTED` | error (warning for partial blocks) | partials and decorators |
//! | `UNKNOWN_VARIABLE` | warning (info when no suggestion) | with a trigger: a path not in its payload |
//! | `UNKNOWN_TRIGGER` | info | the trigger is not known |
//!
//! ```
//! use calhook::lint::{apply_fixes, lint_template, LintOptions};
//!
//! let src = r#"{"booking_id": "{{payload.uid}}"}"#;
//! let diags = lint_template(src, &LintOptions::default());
//! assert_eq!(diags[0].code, "REFERENCE_PAYLOAD_PREFIX");
//! assert_eq!(apply_fixes(src, &diags), r#"{"booking_id": "{{uid}}"}"#);
//! ```

use crate::event::{self, Field, Shape, TemplateData, Ty};
use crate::json::{self, Value};
use crate::span::{LineIndex, Span};
use crate::template::ast::{Block, BlockKind, Call, Expr, Mustache, PathExpr, Program, Statement};
use crate::template::{
    compile, head_name, is_id_char, is_js_space, is_known_helper, CompileOptions, Dialect,
    TemplateErrorCode,
};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// The webhook is not sent, or its body is wrong for every delivery.
    Error,
    /// The body is wrong or empty for some or all deliveries.
    Warning,
    /// Worth knowing; nothing breaks.
    Info,
}

impl Severity {
    /// `"error"`, `"warning"` or `"info"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A machine-applicable edit: replace the bytes `span.start..span.end` with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// The byte range to replace (line/column of its start too).
    pub span: Span,
    /// The new text.
    pub replacement: String,
    /// A short label for a button, e.g. `Use {{attendees.0.email}}`.
    pub title: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A stable machine-readable code, e.g. `TEMPLATE_SYNTAX`, `REFERENCE_PAYLOAD_PREFIX`.
    pub code: &'static str,
    /// What will happen on the real sender and what to do about it.
    pub message: String,
    /// Where in the template.
    pub span: Span,
    /// An edit that resolves the finding, when there is one.
    pub fix: Option<Fix>,
}

/// Options for [`lint_template`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LintOptions {
    /// The syntax and data layout to check against. [`Dialect::Calcom`] is the real sender;
    /// [`Dialect::Reference`] is the API reference's documented (but not real) behaviour.
    pub dialect: Dialect,
    /// The trigger the template is used for (e.g. `BOOKING_CREATED`). Enables the
    /// `UNKNOWN_VARIABLE` check and picks the data layout; without it a booking trigger is
    /// assumed.
    pub trigger: Option<String>,
}

/// Lint a payload template. Never panics; the result is sorted by `span.start`.
pub fn lint_template(source: &str, options: &LintOptions) -> Vec<Diagnostic> {
    let mut linter = Linter::new(source, options);
    linter.run();
    let mut out = linter.diags;
    out.sort_by(|a, b| {
        (a.span.start, a.span.end, severity_rank(a.severity)).cmp(&(
            b.span.start,
            b.span.end,
            severity_rank(b.severity),
        ))
    });
    out
}

/// Apply the fixes of `diagnostics` to `source`. Fixes are applied from the end of the text;
/// one that overlaps a fix already applied (or whose span is not valid for `source`) is skipped,
/// exactly as the JS `applyFixes` does. Lint the result again to get the rest.
pub fn apply_fixes(source: &str, diagnostics: &[Diagnostic]) -> String {
    let mut fixes: Vec<&Fix> = diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
    fixes.sort_by_key(|f| std::cmp::Reverse((f.span.start, f.span.end)));
    let mut out = source.to_string();
    let mut limit = source.len();
    for fix in fixes {
        let (s, e) = (fix.span.start, fix.span.end);
        if s > e || e > limit || !source.is_char_boundary(s) || !source.is_char_boundary(e) {
            continue;
        }
        out.replace_range(s..e, &fix.replacement);
        limit = s;
    }
    out
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

// ---------------------------------------------------------------------------------------------
// Edits and position mapping
// ---------------------------------------------------------------------------------------------

/// One replacement, with its range in the old and in the new text.
#[derive(Clone, Debug)]
struct Edit {
    old_start: usize,
    old_end: usize,
    new_start: usize,
    new_end: usize,
    replacement: String,
}

/// Non-overlapping edits of an old text, sorted, with their positions in the new text.
#[derive(Clone, Debug, Default)]
struct EditMap {
    edits: Vec<Edit>,
}

impl EditMap {
    /// Build from edits given in old coordinates (sorted, non-overlapping); returns the new text.
    fn build(old: &str, mut edits: Vec<Edit>) -> (String, EditMap) {
        edits.sort_by_key(|e| (e.old_start, e.old_end));
        let mut out = String::with_capacity(old.len() + 16);
        let mut pos = 0;
        for e in &mut edits {
            out.push_str(old.get(pos..e.old_start).unwrap_or(""));
            e.new_start = out.len();
            out.push_str(&e.replacement);
            e.new_end = out.len();
            pos = e.old_end;
        }
        out.push_str(old.get(pos..).unwrap_or(""));
        (out, EditMap { edits })
    }

    /// Map a new-text position to the old text. Inside an edit, a start maps to the edit's
    /// old start and an end to its old end.
    fn to_old(&self, p: usize, is_end: bool) -> usize {
        let mut delta: isize = 0;
        for e in &self.edits {
            if p <= e.new_start {
                break;
            }
            if p >= e.new_end {
                delta += (e.new_end - e.new_start) as isize - (e.old_end - e.old_start) as isize;
                continue;
            }
            return if is_end { e.old_end } else { e.old_start };
        }
        (p as isize - delta).max(0) as usize
    }

    /// Whether the new-text range `start..end` touches the inside of an edit.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        self.edits.iter().any(|e| {
            if start == end {
                start > e.new_start && start < e.new_end
            } else {
                start < e.new_end && end > e.new_start
                    || (e.new_start == e.new_end && start < e.new_start && end > e.new_start)
            }
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Data model (what the template sees)
// ---------------------------------------------------------------------------------------------

/// A node of the template data, as far as it is known.
#[derive(Clone, Copy, Debug)]
enum Node {
    /// Nothing known: accept everything, report nothing.
    Unknown,
    /// Booking-style root: the payload's fields plus `triggerEvent` and `createdAt`.
    FlatRoot(&'static Shape),
    /// Generic root (`payload` nested), also the reference dialect's layout.
    NestedRoot(&'static Shape),
    /// The `payload` object of a nested root.
    Payload(&'static Shape),
    /// A typed value (`Named`/`Nullable` already resolved), with the field's example.
    Ty(&'static Ty, &'static str),
    /// A number (`length`, an index).
    Number,
}

enum Child {
    Found(Node),
    /// Anything may be there.
    Open,
    /// Not a known field; the known names at this level.
    Missing(Vec<&'static str>),
    /// A non-index name on an array; the element.
    ArrayName(Node),
    /// A property of a scalar (renders empty); the kind.
    Scalar(&'static str),
}

fn resolve_ty(ty: &'static Ty) -> &'static Ty {
    let mut t = ty;
    loop {
        match t {
            Ty::Named(_, inner) | Ty::Nullable(inner) => t = inner,
            Ty::Either(alt) => t = &alt.sender,
            _ => return t,
        }
    }
}

fn field_node(f: &'static Field) -> Node {
    Node::Ty(resolve_ty(&f.ty), f.example)
}

const TRIGGER_EVENT_TY: Ty = Ty::String;
const CREATED_AT_TY: Ty = Ty::DateTime;

fn is_canonical_index(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'))
        && s.len() <= 10
}

impl Node {
    fn child(self, name: &str) -> Child {
        let envelope = |name: &str| -> Option<Node> {
            match name {
                "triggerEvent" => Some(Node::Ty(&TRIGGER_EVENT_TY, "")),
                "createdAt" => Some(Node::Ty(&CREATED_AT_TY, "")),
                _ => None,
            }
        };
        let shape_names = |shape: &'static Shape| -> Vec<&'static str> {
            shape.fields().map(|f| f.name).collect()
        };
        match self {
            Node::Unknown => Child::Open,
            Node::FlatRoot(shape) => {
                if let Some(n) = envelope(name) {
                    return Child::Found(n);
                }
                if shape.groups.is_empty() {
                    return Child::Open;
                }
                match shape.field(name) {
                    Some(f) => Child::Found(field_node(f)),
                    None => {
                        let mut names = vec!["triggerEvent", "createdAt"];
                        names.extend(shape_names(shape));
                        Child::Missing(names)
                    }
                }
            }
            Node::NestedRoot(shape) => {
                if let Some(n) = envelope(name) {
                    return Child::Found(n);
                }
                if name == "payload" {
                    return Child::Found(Node::Payload(shape));
                }
                Child::Missing(vec!["triggerEvent", "createdAt", "payload"])
            }
            Node::Payload(shape) => {
                if shape.groups.is_empty() {
                    return Child::Open;
                }
                match shape.field(name) {
                    Some(f) => Child::Found(field_node(f)),
                    None => Child::Missing(shape_names(shape)),
                }
            }
            Node::Number => Child::Scalar("number"),
            Node::Ty(ty, _) => match ty {
                Ty::Object(fields) => match fields.iter().find(|f| f.name == name) {
                    Some(f) => Child::Found(field_node(f)),
                    None => Child::Missing(fields.iter().map(|f| f.name).collect()),
                },
                Ty::Array(inner) => {
                    if is_canonical_index(name) {
                        Child::Found(Node::Ty(resolve_ty(inner), ""))
                    } else if name == "length" {
                        Child::Found(Node::Number)
                    } else {
                        Child::ArrayName(Node::Ty(resolve_ty(inner), ""))
                    }
                }
                Ty::Map(inner) => Child::Found(Node::Ty(resolve_ty(inner), "")),
                Ty::Any | Ty::Named(..) | Ty::Nullable(_) | Ty::Either(_) => Child::Open,
                Ty::String | Ty::DateTime | Ty::Email | Ty::Url | Ty::Enum(_) => {
                    if name == "length" || is_canonical_index(name) {
                        Child::Open
                    } else {
                        Child::Scalar("string")
                    }
                }
                Ty::Number | Ty::Integer => Child::Scalar("number"),
                Ty::Bool => Child::Scalar("boolean"),
            },
        }
    }

    /// The element node when iterated by `#each` (arrays and maps), else `Unknown`.
    fn element(self) -> Node {
        match self {
            Node::Ty(Ty::Array(inner), _) | Node::Ty(Ty::Map(inner), _) => {
                Node::Ty(resolve_ty(inner), "")
            }
            _ => Node::Unknown,
        }
    }

    fn is_array(self) -> bool {
        matches!(self, Node::Ty(Ty::Array(_), _))
    }

    fn is_bool(self) -> bool {
        matches!(self, Node::Ty(Ty::Bool, _))
    }

    /// Whether `{{x}}` renders `[object Object]` (or a list of them).
    fn object_kind(self) -> Option<ObjectKind> {
        match self {
            Node::FlatRoot(_) | Node::NestedRoot(_) | Node::Payload(_) => Some(ObjectKind::Object),
            Node::Ty(Ty::Object(_), _) | Node::Ty(Ty::Map(_), _) => Some(ObjectKind::Object),
            Node::Ty(Ty::Array(inner), _) => match resolve_ty(inner) {
                Ty::Object(_) | Ty::Map(_) => Some(ObjectKind::ArrayOfObjects),
                _ => None,
            },
            _ => None,
        }
    }

    /// A scalar field to suggest for an object node, as a relative path.
    fn suggest_field(self) -> Option<String> {
        let pick = |fields: &'static [Field]| -> Option<String> {
            let scalar = |f: &&'static Field| {
                matches!(
                    resolve_ty(&f.ty),
                    Ty::String
                        | Ty::Email
                        | Ty::Url
                        | Ty::DateTime
                        | Ty::Enum(_)
                        | Ty::Number
                        | Ty::Integer
                        | Ty::Any
                )
            };
            for pref in ["name", "email", "value", "locale", "url", "title", "reason"] {
                if let Some(f) = fields.iter().filter(scalar).find(|f| f.name == pref) {
                    return Some(f.name.to_string());
                }
            }
            fields.iter().find(scalar).map(|f| f.name.to_string())
        };
        match self {
            Node::Ty(Ty::Object(fields), _) => pick(fields),
            Node::Ty(Ty::Array(inner), _) => match resolve_ty(inner) {
                Ty::Object(fields) => pick(fields).map(|f| format!("0.{f}")),
                _ => None,
            },
            Node::Ty(Ty::Map(inner), example) => {
                let key = if example.is_empty()
                    || example == "-"
                    || !example
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    return None;
                } else {
                    example
                };
                match resolve_ty(inner) {
                    Ty::Object(fields) => pick(fields).map(|f| format!("{key}.{f}")),
                    _ => Some(key.to_string()),
                }
            }
            _ => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ObjectKind {
    Object,
    ArrayOfObjects,
}

/// Names of fields that hold text the booker or organizer typed (may contain `"`, `\`, a
/// line break, `'`, `&`, `<`…).
const FREE_TEXT: &[&str] = &[
    "title",
    "description",
    "additionalNotes",
    "name",
    "firstName",
    "lastName",
    "value",
    "response",
    "label",
    "cancellationReason",
    "rejectionReason",
    "reschedulingReason",
    "notes",
    "location",
    "eventTitle",
    "eventDescription",
    "message",
    "formName",
    "reason",
    "userPrimaryEmail",
];

/// Names of fields that hold URLs (`&` and `=` arrive as entities through `{{x}}`).
const URL_NAMES: &[&str] = &[
    "videoCallUrl",
    "url",
    "link",
    "downloadLink",
    "meetingUrl",
    "bookerUrl",
    "rescheduleLink",
    "cancelLink",
    "redirect",
];

/// Objects whose keys vary from booking to booking: any name below them is accepted.
const OPEN_NAMES: &[&str] = &[
    "metadata",
    "responses",
    "userFieldsResponses",
    "customInputs",
    "appsStatus",
    "paymentData",
];

/// Names that hold objects even when the model types them as `any`.
const OBJECT_NAMES: &[&str] = &[
    "organizer",
    "attendees",
    "metadata",
    "responses",
    "userFieldsResponses",
    "team",
    "language",
    "destinationCalendar",
    "videoCallData",
    "customInputs",
    "appsStatus",
    "oooEntry",
    "user",
    "toUser",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TextKind {
    Free,
    Url,
}

fn text_kind(node: Node, last: &str) -> Option<TextKind> {
    let scalar_ok = match node {
        Node::Ty(ty, _) => match ty {
            Ty::Url => return Some(TextKind::Url),
            Ty::String | Ty::Any => true,
            _ => false,
        },
        Node::Unknown => true,
        _ => false,
    };
    if !scalar_ok {
        return None;
    }
    if URL_NAMES.contains(&last) {
        Some(TextKind::Url)
    } else if FREE_TEXT.contains(&last) {
        Some(TextKind::Free)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Paths in the source text
// ---------------------------------------------------------------------------------------------

/// One segment of a path as written.
#[derive(Clone, Debug)]
struct SegLoc {
    start: usize,
    end: usize,
    meta: bool,
}

/// Split the source text of a path (starting at byte `base`) into segments.
fn scan_path(text: &str, base: usize) -> Vec<SegLoc> {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'@'));
    let mut out: Vec<SegLoc> = Vec::new();
    while i < b.len() {
        let rest = text.get(i..).unwrap_or("");
        let (meta, len) = if rest.starts_with('[') {
            // `[literal]`, where `\]` does not close.
            let mut escaped = false;
            let mut len = rest.len();
            for (off, c) in rest.char_indices().skip(1) {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == ']' {
                    len = off + 1;
                    break;
                }
            }
            (false, len)
        } else if rest.starts_with("..") && matches!(b.get(i + 2), None | Some(b'/' | b'.')) {
            (true, 2)
        } else if rest.starts_with('.') && matches!(b.get(i + 1), None | Some(b'/')) {
            (true, 1)
        } else {
            // Separators are ASCII, so `len` is a char boundary.
            let len = rest.find(['.', '/', '[']).unwrap_or(rest.len()).max(1);
            let meta = rest.get(..len) == Some("this") && out.iter().all(|s| s.meta);
            (meta, len)
        };
        out.push(SegLoc {
            start: base + i,
            end: base + i + len,
            meta,
        });
        i += len;
        if matches!(b.get(i), Some(b'.' | b'/')) {
            i += 1;
        }
    }
    out
}

/// The non-meta segments of a path, which correspond to `PathExpr::parts`.
fn part_locs(text: &str, base: usize) -> Vec<SegLoc> {
    scan_path(text, base)
        .into_iter()
        .filter(|s| !s.meta)
        .collect()
}

/// Levenshtein distance over characters, ignoring ASCII case.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest known name, if it is close enough to be a typo.
fn suggest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = match name.chars().count() {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let d = if c.eq_ignore_ascii_case(name) {
            0
        } else {
            distance(name, c)
        };
        if d <= limit && best.map_or(true, |(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// How a name is written as a path segment.
fn segment_text(name: &str) -> String {
    if !name.is_empty()
        && name.chars().all(is_id_char)
        && !matches!(name, "true" | "false" | "null" | "undefined" | "this")
        && !name.bytes().all(|b| b.is_ascii_digit())
    {
        name.to_string()
    } else {
        format!("[{}]", name.replace('\\', "\\\\").replace(']', "\\]"))
    }
}

// ---------------------------------------------------------------------------------------------
// The linter
// ---------------------------------------------------------------------------------------------

/// How the template's data is laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Booking-style, flat. `assumed`: no trigger was given.
    Flat { assumed: bool },
    /// Generic triggers: `payload.x`.
    Nested,
}

struct Scope {
    ctx: Node,
    /// False for `#if`/`#unless` (they do not push a context level).
    pushes: bool,
    params: Vec<(String, Node)>,
}

struct Linter<'s> {
    source: &'s str,
    dialect: Dialect,
    trigger_name: Option<String>,
    /// Known trigger (or the assumed booking one).
    layout: Layout,
    /// Whether `UNKNOWN_VARIABLE` is checked.
    check_unknown: bool,
    root: Node,
    diags: Vec<Diagnostic>,
    /// The text after syntax fixes, and how it maps back to `source`.
    fixed: String,
    map: EditMap,
    lines: LineIndex<'s>,
    /// `JSON.parse(fixed)` is truthy: the body is sent as JSON.
    is_json: bool,
    scopes: Vec<Scope>,
}

/// At most this many syntax errors are fixed and re-parsed ...
const MAX_SYNTAX_FIXES: usize = 64;
/// ... and at most this many source bytes are parsed for it (big templates get fewer rounds).
const SYNTAX_FIX_BUDGET: usize = 1 << 20;

impl<'s> Linter<'s> {
    fn new(source: &'s str, options: &LintOptions) -> Self {
        let info = options.trigger.as_deref().and_then(event::trigger);
        let (layout, shape) = match info {
            Some(t) => (
                match t.template_data {
                    TemplateData::Flat => Layout::Flat { assumed: false },
                    TemplateData::Nested => Layout::Nested,
                },
                t.shape,
            ),
            None => (
                Layout::Flat { assumed: true },
                &event::trigger::BOOKING_CREATED,
            ),
        };
        let root = match (options.dialect, layout) {
            (Dialect::Reference, _) => Node::NestedRoot(shape),
            (Dialect::Calcom, Layout::Flat { .. }) => Node::FlatRoot(shape),
            (Dialect::Calcom, Layout::Nested) => Node::NestedRoot(shape),
        };
        Linter {
            source,
            dialect: options.dialect,
            trigger_name: options.trigger.clone(),
            layout,
            check_unknown: info.is_some(),
            root,
            diags: Vec::new(),
            fixed: source.to_string(),
            map: EditMap::default(),
            lines: LineIndex::new(source),
            is_json: false,
            scopes: Vec::new(),
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        let start = start.min(self.source.len());
        let end = end.clamp(start, self.source.len());
        self.lines.span(start, end)
    }

    /// Map a range of the fixed text to a span of the source.
    fn map_span(&self, start: usize, end: usize) -> Span {
        let s = self.map.to_old(start, false);
        let e = self.map.to_old(end, true).max(s);
        self.span(s, e)
    }

    /// A fix for a range of the fixed text, unless it touches a syntax fix.
    fn map_fix(&self, start: usize, end: usize, replacement: String, title: String) -> Option<Fix> {
        if self.map.overlaps(start, end) {
            return None;
        }
        Some(Fix {
            span: self.map_span(start, end),
            replacement,
            title,
        })
    }

    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        message: String,
        span: Span,
        fix: Option<Fix>,
    ) {
        self.diags.push(Diagnostic {
            severity,
            code,
            message,
            span,
            fix,
        });
    }

    fn fixed_text(&self, start: usize, end: usize) -> &str {
        self.fixed.get(start..end).unwrap_or("")
    }

    fn run(&mut self) {
        if self.source.is_empty() {
            return;
        }
        if let Some(t) = &self.trigger_name {
            if event::trigger(t).is_none() {
                let msg = format!(
                    "\"{t}\" is not a trigger this library knows; variables are not checked and a booking trigger's flat data is assumed."
                );
                let span = self.span(0, 0);
                self.push(Severity::Info, "UNKNOWN_TRIGGER", msg, span, None);
            }
        }
        let Some(program) = self.parse_with_recovery() else {
            return;
        };
        self.is_json = json::parse(&self.fixed).is_ok_and(|v| v.is_truthy());
        self.check_content_type(&program);
        self.scopes.push(Scope {
            ctx: self.root,
            pushes: true,
            params: Vec::new(),
        });
        self.walk_program(&program);
    }

    // -----------------------------------------------------------------------------------------
    // Syntax, with recovery
    // -----------------------------------------------------------------------------------------

    fn parse_with_recovery(&mut self) -> Option<Program> {
        let options = CompileOptions {
            dialect: self.dialect,
            ..CompileOptions::default()
        };
        let mut edits: Vec<Edit> = Vec::new();
        let mut parsed_bytes = 0usize;
        for round in 0.. {
            let (text, map) = EditMap::build(self.source, edits.clone());
            parsed_bytes = parsed_bytes.saturating_add(text.len());
            let last_round = round + 1 >= MAX_SYNTAX_FIXES || parsed_bytes >= SYNTAX_FIX_BUDGET;
            self.fixed = text;
            self.map = map;
            let err = match compile(&self.fixed, &options) {
                Ok(t) => return Some(t.ast().clone()),
                Err(e) => e,
            };
            if err.code == TemplateErrorCode::Limit {
                let span = err
                    .span
                    .map_or(self.span(0, 0), |s| self.map_span(s.start, s.end));
                self.push(
                    Severity::Error,
                    "TEMPLATE_LIMIT",
                    format!("{} The linter stopped here.", err.message),
                    span,
                    None,
                );
                return None;
            }
            let espan = err.span.unwrap_or_default();
            let recovered = if last_round {
                None
            } else {
                self.recognize(&err.message, espan.start, espan.end)
            };
            match recovered {
                Some(RecognizedFix {
                    start,
                    end,
                    replacement,
                    diag,
                }) if !self.map.overlaps(start, end) => {
                    let old_start = self.map.to_old(start, false);
                    let old_end = self.map.to_old(end, true);
                    let fix = Fix {
                        span: self.span(old_start, old_end),
                        replacement: replacement.clone(),
                        title: diag.title,
                    };
                    let dspan = self.map_span(diag.start, diag.end);
                    self.push(diag.severity, diag.code, diag.message, dspan, Some(fix));
                    edits.push(Edit {
                        old_start,
                        old_end,
                        new_start: 0,
                        new_end: 0,
                        replacement,
                    });
                }
                _ => {
                    let span = self.map_span(espan.start, espan.end);
                    let note = if last_round && round > 0 {
                        " (The linter stops fixing syntax errors here: apply the fixes above and lint again.)"
                    } else {
                        ""
                    };
                    self.push(
                        Severity::Error,
                        "TEMPLATE_SYNTAX",
                        format!(
                            "{}\nHandlebars cannot parse the template, so the real sender's render throws and the webhook is not sent at all. Fix the syntax at this position.{note}",
                            err.message
                        ),
                        span,
                        None,
                    );
                    return None;
                }
            }
        }
        None
    }

    /// Recognise a syntax error the linter knows how to fix. Returns the replaced range of the
    /// fixed text, the replacement, and the diagnostic (range in the fixed text).
    fn recognize(&self, message: &str, start: usize, end: usize) -> Option<RecognizedFix> {
        let text = self.fixed.as_str();
        let tok = text.get(start..end)?;
        if message.contains("got 'CLOSE_UNESCAPED'") && tok.ends_with("}}}") {
            let replacement = format!("{} }}", &tok[..tok.len() - 1]);
            let msg = format!(
                "`{tok}` is read as the close of a triple-stash `{{{{{{x}}}}}}`, so Handlebars fails to parse the template (the docs-style `{{\"n\": {{{{x}}}}}}` hits this): the real sender's render throws and the webhook is not sent. Put a space between the mustache's `}}}}` and the JSON `}}`."
            );
            return Some(RecognizedFix {
                start,
                end,
                replacement,
                diag: PendingDiag {
                    severity: Severity::Error,
                    code: "TRIPLE_CLOSE",
                    message: msg,
                    start,
                    end,
                    title: "Write `}} }`".to_string(),
                },
            });
        }
        if message.contains("Expecting 'ID', got 'NUMBER'")
            && !tok.is_empty()
            && tok.bytes().all(|b| b.is_ascii_digit())
            && start > 0
            && matches!(text.as_bytes().get(start - 1), Some(b'.') | Some(b'/'))
        {
            let path_start = path_start_before(text, start);
            let path = text.get(path_start..end).unwrap_or("");
            let fixed_path = format!("{}[{tok}]", text.get(path_start..start).unwrap_or(""));
            let msg = format!(
                "`{path}`: a number as the last segment of a path is a Handlebars parse error (`Expecting 'ID', got 'NUMBER'`), so the real sender's render throws and the webhook is not sent. Write the index in brackets: `{fixed_path}`."
            );
            return Some(RecognizedFix {
                start,
                end,
                replacement: format!("[{tok}]"),
                diag: PendingDiag {
                    severity: Severity::Error,
                    code: "NUMERIC_SEGMENT",
                    message: msg,
                    start: path_start,
                    end,
                    title: format!("Use {{{{{fixed_path}}}}}"),
                },
            });
        }
        if message.contains("got 'INVALID'") {
            return self.recognize_js_index(start);
        }
        None
    }

    /// `{{payload.attendees[0].email}}`: the error points at the segment before `[`.
    fn recognize_js_index(&self, at: usize) -> Option<RecognizedFix> {
        let text = self.fixed.as_str();
        let rest = text.get(at..)?;
        let id_len: usize = rest
            .char_indices()
            .find(|(_, c)| !is_id_char(*c))
            .map_or(rest.len(), |(i, _)| i);
        if id_len == 0 || !is_digit_index(&rest[id_len..]) {
            return None;
        }
        let start = path_start_before(text, at);
        // Extend over `[N]`, `.seg`, `/seg`.
        let mut end = at + id_len;
        loop {
            let tail = text.get(end..).unwrap_or("");
            if let Some(n) = digit_index_len(tail) {
                end += n;
                continue;
            }
            if tail.starts_with(['.', '/']) {
                let seg = &tail[1..];
                let n = seg
                    .char_indices()
                    .find(|(_, c)| !is_id_char(*c))
                    .map_or(seg.len(), |(i, _)| i);
                if n > 0 {
                    end += 1 + n;
                    continue;
                }
            }
            break;
        }
        let original = text.get(start..end)?;
        let mut converted = String::new();
        let mut i = 0;
        let ob = original.as_bytes();
        while i < original.len() {
            if ob[i] == b'[' && i > 0 {
                if let Some(n) = digit_index_len(&original[i..]) {
                    let digits = &original[i + 1..i + n - 1];
                    let followed = i + n < original.len();
                    if followed {
                        converted.push('.');
                        converted.push_str(digits);
                    } else {
                        converted.push_str(".[");
                        converted.push_str(digits);
                        converted.push(']');
                    }
                    i += n;
                    continue;
                }
            }
            let c = original[i..].chars().next()?;
            converted.push(c);
            i += c.len_utf8();
        }
        let flat = matches!(self.layout, Layout::Flat { .. });
        let mut replacement = converted.clone();
        let mut dropped_payload = false;
        if flat {
            let lead = ["@root.", "@root/", "this.", "this/", "./", ""]
                .into_iter()
                .find(|l| converted.starts_with(l))
                .unwrap_or("");
            let rest = converted.get(lead.len()..).unwrap_or("");
            for prefix in ["payload.", "payload/"] {
                if let Some(r) = rest.strip_prefix(prefix) {
                    replacement = format!("{lead}{r}");
                    dropped_payload = true;
                }
            }
        }
        let mut msg = format!(
            "`{{{{{original}}}}}` uses a JavaScript-style index, which Handlebars cannot parse (`Expecting 'ID', got 'INVALID'`): on the real sender the render throws and the webhook is not sent at all. Use Handlebars' dot form `{{{{{replacement}}}}}`"
        );
        if replacement.ends_with(']') {
            msg.push('.');
        } else {
            msg.push_str(&format!(
                " (`{{{{{}}}}}` works too).",
                replacement.replace(".0.", ".[0].")
            ));
        }
        if dropped_payload {
            msg.push_str(match self.layout {
                Layout::Flat { assumed: true } => " The `payload.` prefix is dropped too: booking triggers render against flat data (`{...payload, triggerEvent, createdAt}`). This assumes a booking trigger; for FORM_SUBMITTED and other generic triggers keep `payload.`.",
                _ => " The `payload.` prefix is dropped too: this trigger renders against flat data (`{...payload, triggerEvent, createdAt}`).",
            });
        }
        Some(RecognizedFix {
            start,
            end,
            replacement: replacement.clone(),
            diag: PendingDiag {
                severity: Severity::Error,
                code: "REFERENCE_INDEX_SYNTAX",
                message: msg,
                start,
                end,
                title: format!("Use {{{{{replacement}}}}}"),
            },
        })
    }

    // -----------------------------------------------------------------------------------------
    // Content type
    // -----------------------------------------------------------------------------------------

    fn check_content_type(&mut self, program: &Program) {
        let fixed = self.fixed.clone();
        let trimmed = fixed.trim_start_matches(is_js_space);
        // Looks like JSON: the first text outside comments starts with `{` or `[`.
        let looks_json = program
            .body
            .iter()
            .find_map(|stmt| match stmt {
                Statement::Comment(_) => None,
                Statement::Content(c) => {
                    let t = self
                        .fixed_text(c.span.start, c.span.end)
                        .trim_start_matches(is_js_space);
                    if t.is_empty() {
                        None
                    } else {
                        Some(t.starts_with('{') || t.starts_with('['))
                    }
                }
                _ => Some(false),
            })
            .unwrap_or(false);
        let parsed = json::parse(&fixed);
        match &parsed {
            Ok(v) if v.is_truthy() => return,
            Ok(v) => {
                let what = match v {
                    Value::Null => "null".to_string(),
                    Value::String(_) => "an empty string".to_string(),
                    other => json::stringify(other),
                };
                let lead = fixed.len() - trimmed.len();
                let end = fixed.trim_end_matches(is_js_space).len();
                let span = self.map_span(lead, end.max(lead));
                self.push(
                    Severity::Warning,
                    "NOT_JSON_TEMPLATE",
                    format!(
                        "The template parses as JSON to {what}, which is falsy: Cal.com picks the content type with `JSON.parse(template) ? json : form`, so this is sent as application/x-www-form-urlencoded, as rendered. Use an object template such as `{{\"value\": {what}}}` if you want JSON."
                    ),
                    span,
                    None,
                );
                return;
            }
            Err(_) if !looks_json => return,
            Err(_) => {}
        }
        const CONSEQUENCE: &str = "so `JSON.parse(template)` fails and Cal.com sends the body as application/x-www-form-urlencoded: the rendered text as is, with no JSON normalisation (receivers that expect JSON will not parse it)";
        if fixed.starts_with('\u{feff}') {
            let fix = self.map_fix(0, 3, String::new(), "Remove the byte order mark".into());
            let span = self.map_span(0, 3);
            self.push(
                Severity::Warning,
                "NOT_JSON_TEMPLATE",
                format!("The template starts with a byte order mark (U+FEFF), which JSON does not allow as whitespace, {CONSEQUENCE}. Remove it."),
                span,
                fix,
            );
        }
        // Tags outside JSON strings.
        let mut candidate_edits: Vec<Edit> = Vec::new();
        if fixed.starts_with('\u{feff}') {
            candidate_edits.push(edit(0, 3, ""));
        }
        let bytes = fixed.as_bytes();
        let mut pos = 0;
        // The quote that opened the current string (`'` too, so that a template written with
        // single quotes is diagnosed as such rather than as unquoted mustaches).
        let mut quote: Option<u8> = None;
        let mut esc = false;
        let scan = |from: usize, to: usize, quote: &mut Option<u8>, esc: &mut bool| {
            for &c in bytes.get(from..to).unwrap_or(&[]) {
                if *esc {
                    *esc = false;
                } else if quote.is_some() && c == b'\\' {
                    *esc = true;
                } else if *quote == Some(c) {
                    *quote = None;
                } else if quote.is_none() && (c == b'"' || c == b'\'') {
                    *quote = Some(c);
                }
            }
        };
        let mut blocked = false;
        for stmt in &program.body {
            let (span, kind) = match stmt {
                Statement::Content(_) => continue,
                Statement::Mustache(m) => (m.span, 0),
                Statement::Comment(c) => (c.span, 1),
                Statement::Block(b) => (b.span, 2),
                Statement::Partial(p) => (p.span, 2),
            };
            scan(pos, span.start, &mut quote, &mut esc);
            pos = span.end;
            if quote.is_some() {
                continue;
            }
            let tag = self.fixed_text(span.start, span.end).to_string();
            let dspan = self.map_span(span.start, span.end);
            match kind {
                0 => {
                    let replacement = format!("\"{tag}\"");
                    let fix = self.map_fix(
                        span.start,
                        span.end,
                        replacement.clone(),
                        format!("Quote it: {replacement}"),
                    );
                    self.push(
                        Severity::Warning,
                        "NOT_JSON_TEMPLATE",
                        format!("`{tag}` is not inside a JSON string, {CONSEQUENCE}. Quote it (`{replacement}`) to keep the JSON content type; the value then arrives as a JSON string (e.g. \"42\", not 42)."),
                        dspan,
                        fix,
                    );
                    candidate_edits.push(edit(span.start, span.end, &replacement));
                }
                1 => {
                    let fix = self.map_fix(
                        span.start,
                        span.end,
                        String::new(),
                        "Remove the comment".into(),
                    );
                    self.push(
                        Severity::Warning,
                        "NOT_JSON_TEMPLATE",
                        format!("The comment `{tag}` is template text outside a JSON string, {CONSEQUENCE}. Remove it (or move it inside a JSON string value)."),
                        dspan,
                        fix,
                    );
                    candidate_edits.push(edit(span.start, span.end, ""));
                }
                _ => {
                    self.push(
                        Severity::Warning,
                        "NOT_JSON_TEMPLATE",
                        format!("`{}` is outside a JSON string, {CONSEQUENCE}. There is no automatic fix: to keep JSON, put blocks only inside string values (e.g. `\"emails\": \"{{{{#each attendees}}}}{{{{email}}}},{{{{/each}}}}\"`), or accept a form-urlencoded body.", first_line(&tag)),
                        dspan,
                        None,
                    );
                    candidate_edits.push(edit(span.start, span.end, "null"));
                    blocked = true;
                }
            }
        }
        let (candidate, cmap) = EditMap::build(&fixed, candidate_edits);
        let err = match json::parse(&candidate) {
            Ok(_) => return,
            Err(e) => e,
        };
        let off = err.offset.min(candidate.len());
        let ch = candidate.get(off..).and_then(|s| s.chars().next());
        let ch_len = ch.map_or(0, char::len_utf8);
        let to_fixed = |p: usize, end: bool| cmap.to_old(p, end);
        let (fs, fe) = (to_fixed(off, false), to_fixed(off + ch_len, true));
        let prev = candidate
            .get(..off)
            .unwrap_or("")
            .trim_end_matches([' ', '\t', '\n', '\r']);
        let (cause, fix) = match ch {
            Some('\'') => (
                "it uses single quotes; JSON strings and keys need double quotes".to_string(),
                None,
            ),
            Some('}') | Some(']') if prev.ends_with(',') => {
                let comma = prev.len() - 1;
                let (cs, ce) = (to_fixed(comma, false), to_fixed(comma + 1, true));
                (
                    "it has a trailing comma, which JSON does not allow".to_string(),
                    self.map_fix(cs, ce, String::new(), "Remove the trailing comma".into()),
                )
            }
            Some('/') => (
                "it contains a comment; JSON has no comments".to_string(),
                None,
            ),
            Some('\u{feff}') | Some('\u{a0}') => (
                "it contains a byte order mark or no-break space, which JSON does not accept as whitespace".to_string(),
                None,
            ),
            _ if blocked => return,
            _ => (format!("`JSON.parse` fails: {}", err.message), None),
        };
        let span = self.map_span(fs, fe);
        self.push(
            Severity::Warning,
            "NOT_JSON_TEMPLATE",
            format!("The template looks like JSON but is not: {cause}, {CONSEQUENCE}."),
            span,
            fix,
        );
    }

    // -----------------------------------------------------------------------------------------
    // The tree walk
    // -----------------------------------------------------------------------------------------

    fn walk_program(&mut self, program: &Program) {
        for stmt in &program.body {
            match stmt {
                Statement::Content(_) | Statement::Comment(_) => {}
                Statement::Mustache(m) => self.mustache(m),
                Statement::Block(b) => self.block(b),
                Statement::Partial(p) => {
                    let span = self.map_span(p.span.start, p.span.end);
                    self.push(
                        Severity::Error,
                        "UNSUPPORTED",
                        "Partials are not available on Cal.com (none are registered): the render throws `The partial … could not be found` and the webhook is not sent. Inline the text instead.".into(),
                        span,
                        None,
                    );
                }
            }
        }
    }

    fn mustache(&mut self, m: &Mustache) {
        if m.decorator {
            let span = self.map_span(m.span.start, m.span.end);
            // `inline` is registered: without a block it renders nothing and un-defines the
            // partial it names (handlebars 4.7.10).
            let (severity, message) = if head_name(&m.call.head) == "inline" {
                (
                    Severity::Warning,
                    "`{{*inline}}` without a block defines no partial: it renders nothing, and a later `{{> name}}` fails (`could not be found`), so the webhook is not sent. Write `{{#*inline \"name\"}}…{{/inline}}` or remove it.",
                )
            } else {
                (
                    Severity::Error,
                    "Decorators are not available on Cal.com: the render throws `Missing decorator` and the webhook is not sent. Remove it.",
                )
            };
            self.push(severity, "UNSUPPORTED", message.into(), span, None);
            return;
        }
        let call = &m.call;
        if !call.params.is_empty() || !call.hash.is_empty() {
            self.helper_call(call, false);
            return;
        }
        let Expr::Path(path) = &call.head else {
            return;
        };
        // Every built-in helper but `log` (which renders nothing) throws as a plain value.
        if self
            .simple_name(path)
            .is_some_and(|n| is_known_helper(n) && n != "log")
        {
            let span = self.map_span(m.span.start, m.span.end);
            self.push(
                Severity::Error,
                "HELPER_USAGE",
                format!("`{{{{{}}}}}` calls the built-in helper `{}` as a plain value, which throws on the real sender: the webhook is not sent. To read a data field with this name write `{{{{this.{}}}}}`.", path.original, path.original, path.original),
                span,
                None,
            );
            return;
        }
        let Some(resolved) = self.check_path(path) else {
            return;
        };
        self.check_value(m, path, resolved);
    }

    /// A single-segment, unscoped, non-data path that is not a block parameter: a helper name.
    fn simple_name<'p>(&self, path: &'p PathExpr) -> Option<&'p str> {
        if path.data || path.depth > 0 || path.parts.len() != 1 {
            return None;
        }
        if path.original.starts_with("this") || path.original.starts_with('.') {
            return None;
        }
        let name = path.parts.first()?.as_str();
        if self.block_param(name).is_some() {
            return None;
        }
        Some(name)
    }

    fn block_param(&self, name: &str) -> Option<Node> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|s| s.params.iter())
            .find(|(n, _)| n == name)
            .map(|(_, n)| *n)
    }

    /// A call with parameters (a mustache or sub-expression).
    fn helper_call(&mut self, call: &Call, subexpr: bool) {
        for e in call.params.iter().chain(call.hash.iter().map(|h| &h.value)) {
            self.expr(e);
        }
        let head_text = self
            .fixed_text(call.head.span().start, call.head.span().end)
            .to_string();
        let name = match &call.head {
            Expr::Path(p) => self.simple_name(p).map(str::to_string),
            Expr::Literal(_) => Some(head_text.trim_matches(['"', '\'']).to_string()),
            Expr::SubExpr(_) => None,
        };
        let span = self.map_span(call.span.start, call.span.end);
        match name.as_deref() {
            Some("lookup") => {
                if call.params.len() != 2 {
                    self.push(
                        Severity::Error,
                        "HELPER_USAGE",
                        "`lookup` needs exactly two arguments (`{{lookup attendees 0}}`); otherwise the render throws and the webhook is not sent.".into(),
                        span,
                        None,
                    );
                }
            }
            Some("log") => {}
            Some(n @ ("if" | "unless" | "each" | "with")) if !subexpr => {
                self.push(
                    Severity::Error,
                    "HELPER_USAGE",
                    format!("`{n}` is a block helper: write `{{{{#{n} …}}}}…{{{{/{n}}}}}`. Used as a plain mustache it throws on the real sender and the webhook is not sent."),
                    span,
                    None,
                );
            }
            Some("if" | "unless" | "each" | "with") => {}
            _ => {
                let hash_only = call.params.is_empty();
                let (severity, effect) = if hash_only {
                    (
                        Severity::Warning,
                        "renders an empty string (or throws if the data has a value of that name)",
                    )
                } else {
                    (
                        Severity::Error,
                        "throws `Missing helper` on the real sender, so the webhook is not sent",
                    )
                };
                let mut msg = format!("`{head_text}` is called as a helper, but Cal.com registers no helpers besides Handlebars' built-ins (if, unless, each, with, lookup, log): it {effect}.");
                if let (Some(Expr::Path(_)), Expr::Path(_)) = (call.params.first(), &call.head) {
                    msg.push_str(" If you meant a path, write it without spaces (`a.b`).");
                }
                self.push(severity, "UNKNOWN_HELPER", msg, span, None);
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Path(p) => {
                self.check_path(p);
            }
            Expr::SubExpr(c) => self.helper_call(c, true),
            Expr::Literal(_) => {}
        }
    }

    fn block(&mut self, b: &Block) {
        match b.kind {
            BlockKind::Raw => return,
            BlockKind::Decorator => {
                let span = self.map_span(b.span.start, b.span.end);
                self.push(
                    Severity::Error,
                    "UNSUPPORTED",
                    "Decorator blocks (`{{#*inline}}`) are not supported by this linter's target: Cal.com registers no partials or decorators. Inline the text instead.".into(),
                    span,
                    None,
                );
                return;
            }
            BlockKind::PartialBlock => {
                let span = self.map_span(b.span.start, b.span.end);
                self.push(
                    Severity::Warning,
                    "UNSUPPORTED",
                    "Partial blocks: Cal.com registers no partials, so only the fallback content is rendered. Write the content directly.".into(),
                    span,
                    None,
                );
                if let Some(p) = &b.program {
                    self.walk_program(p);
                }
                return;
            }
            BlockKind::Block => {}
        }
        let call = &b.call;
        for e in call.params.iter().chain(call.hash.iter().map(|h| &h.value)) {
            self.expr(e);
        }
        let head_name = match &call.head {
            Expr::Path(p) => self.simple_name(p).map(str::to_string),
            _ => None,
        };
        let open_span = self.map_span(call.span.start, call.span.end);
        let first_param = call.params.first().and_then(|e| match e {
            Expr::Path(p) => Some(p),
            _ => None,
        });
        let param_node = first_param
            .and_then(|p| self.resolve(p).map(|r| r.node))
            .unwrap_or(Node::Unknown);
        // (program scope, whether it pushes, block params)
        let block_params = b
            .program
            .as_ref()
            .map(|p| p.block_params.clone())
            .unwrap_or_default();
        let mut program_scope: Option<(Node, bool, Vec<Node>)> = None;
        match head_name.as_deref() {
            Some(n @ ("if" | "unless" | "with")) => {
                if call.params.len() != 1 {
                    self.push(
                        Severity::Error,
                        "HELPER_USAGE",
                        format!("`#{n}` needs exactly one argument; otherwise the render throws (`#{n} requires exactly one argument`) and the webhook is not sent."),
                        open_span,
                        None,
                    );
                }
                if n == "with" {
                    // `{{#with this}}` runs with the same context: no new level for `../`.
                    let same = first_param.is_some_and(|p| p.parts.is_empty() && p.depth == 0);
                    program_scope = Some((param_node, !same, vec![param_node]));
                }
            }
            Some("each") => {
                if call.params.len() != 1 {
                    self.push(
                        Severity::Error,
                        "HELPER_USAGE",
                        "`#each` needs exactly one argument (`{{#each attendees}}`); otherwise the render throws and the webhook is not sent.".into(),
                        open_span,
                        None,
                    );
                }
                let elem = param_node.element();
                program_scope = Some((elem, true, vec![elem, Node::Unknown]));
            }
            Some("lookup" | "log") => {
                program_scope = Some((Node::Unknown, true, Vec::new()));
            }
            _ if call.params.is_empty() && call.hash.is_empty() => {
                // A section on data.
                let node = match &call.head {
                    Expr::Path(p) => self.check_path(p).map(|r| r.node).unwrap_or(Node::Unknown),
                    _ => Node::Unknown,
                };
                program_scope = Some(if node.is_array() {
                    let elem = node.element();
                    (elem, true, vec![elem, Node::Unknown])
                } else if node.is_bool() {
                    (Node::Unknown, false, Vec::new())
                } else {
                    (node, true, Vec::new())
                });
            }
            _ => {
                let head_text = self
                    .fixed_text(call.head.span().start, call.head.span().end)
                    .to_string();
                let (severity, effect) = if call.params.is_empty() {
                    (
                        Severity::Warning,
                        "renders nothing (or throws if the data has a value of that name)",
                    )
                } else {
                    (
                        Severity::Error,
                        "throws `Missing helper` on the real sender, so the webhook is not sent",
                    )
                };
                self.push(
                    severity,
                    "UNKNOWN_HELPER",
                    format!("`#{head_text}` is called as a block helper, but Cal.com registers no helpers besides if, unless, each, with, lookup and log: it {effect}. A section on data (`{{{{#{head_text}}}}}…{{{{/{head_text}}}}}`) takes no arguments."),
                    open_span,
                    None,
                );
                program_scope = Some((Node::Unknown, true, Vec::new()));
            }
        }
        if let Some(p) = &b.program {
            let (ctx, pushes, param_nodes) =
                program_scope.unwrap_or((Node::Unknown, false, Vec::new()));
            let (ctx, pushes) = if pushes {
                (ctx, true)
            } else {
                (self.current_ctx(), false)
            };
            let params = block_params
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    (
                        n.clone(),
                        param_nodes.get(i).copied().unwrap_or(Node::Unknown),
                    )
                })
                .collect();
            self.scopes.push(Scope {
                ctx,
                pushes,
                params,
            });
            self.walk_program(p);
            self.scopes.pop();
        }
        if let Some(inv) = &b.inverse {
            self.walk_program(inv);
        }
    }

    fn current_ctx(&self) -> Node {
        self.scopes
            .iter()
            .rev()
            .find(|s| s.pushes)
            .map_or(self.root, |s| s.ctx)
    }

    // -----------------------------------------------------------------------------------------
    // Paths
    // -----------------------------------------------------------------------------------------

    /// Where a path starts: the node, how many leading parts were consumed, and whether the
    /// start is the data root.
    fn start_of(&self, path: &PathExpr) -> Option<(Node, usize, bool)> {
        if path.parts.is_empty() && path.data {
            return None;
        }
        if path.data {
            return (path.parts.first().map(String::as_str) == Some("root"))
                .then_some((self.root, 1, true));
        }
        let scoped = path.original.starts_with("this") || path.original.starts_with('.');
        if path.depth == 0 && !scoped {
            if let Some(n) = path.parts.first().and_then(|n| self.block_param(n)) {
                return Some((n, 1, false));
            }
        }
        if path.parts.first().is_some_and(String::is_empty) {
            return None;
        }
        let levels: Vec<Node> = self
            .scopes
            .iter()
            .rev()
            .filter(|s| s.pushes)
            .map(|s| s.ctx)
            .collect();
        let node = *levels.get(path.depth)?;
        let is_root = path.depth + 1 == levels.len();
        Some((node, 0, is_root))
    }

    fn resolve(&self, path: &PathExpr) -> Option<Resolved> {
        let (mut node, skip, _) = self.start_of(path)?;
        for part in path.parts.iter().skip(skip) {
            node = match node.child(part) {
                Child::Found(n) => n,
                _ => Node::Unknown,
            };
        }
        Some(Resolved { node })
    }

    /// Check a data path; returns its node when it resolves (or is open), `None` when the path
    /// is known to render empty or was reported.
    fn check_path(&mut self, path: &PathExpr) -> Option<Resolved> {
        let (mut node, skip, is_root) = self.start_of(path)?;
        let text = self.fixed_text(path.span.start, path.span.end).to_string();
        let mut locs = part_locs(&text, path.span.start);
        if locs.len() != path.parts.len() {
            // A path written in a way this scanner does not follow: no fixes for it.
            locs.clear();
        }
        let first = path.parts.get(skip).map(String::as_str);
        // The reference's `payload.` prefix.
        if is_root && first == Some("payload") {
            let real_flat = matches!(self.layout, Layout::Flat { .. });
            match (self.dialect, node) {
                (Dialect::Calcom, Node::FlatRoot(_)) => {
                    self.payload_prefix(path, &text, &locs, skip);
                    return None;
                }
                (Dialect::Reference, _) if real_flat => {
                    let rest: Vec<&str> = path
                        .parts
                        .iter()
                        .skip(skip + 1)
                        .map(String::as_str)
                        .collect();
                    let span = self.map_span(path.span.start, path.span.end);
                    self.push(
                        Severity::Info,
                        "REFERENCE_PAYLOAD_PREFIX",
                        format!("Fine in the reference dialect, but the real Cal.com sender renders booking data flat (`{{...payload, triggerEvent, createdAt}}`), where `{{{{{text}}}}}` is empty: write `{{{{{}}}}}` for the real sender.", rest.join(".")),
                        span,
                        None,
                    );
                }
                _ => {}
            }
        }
        if self.dialect == Dialect::Reference {
            self.reference_index_note(path, &text);
        }
        for (i, part) in path.parts.iter().enumerate().skip(skip) {
            match node.child(part) {
                Child::Found(n) => node = n,
                Child::Open => node = Node::Unknown,
                Child::Missing(candidates) => {
                    let under_open_map = path
                        .parts
                        .iter()
                        .take(i)
                        .any(|p| OPEN_NAMES.contains(&p.as_str()));
                    if self.check_unknown && !under_open_map {
                        self.unknown(path, &text, &locs, i, node, &candidates);
                    }
                    return None;
                }
                Child::ArrayName(elem) => {
                    if self.check_unknown {
                        self.array_name(path, &text, &locs, i, elem);
                    }
                    return None;
                }
                Child::Scalar(kind) => {
                    if self.check_unknown {
                        let parent: Vec<&str> =
                            path.parts.iter().take(i).map(String::as_str).collect();
                        let span = self.map_span(path.span.start, path.span.end);
                        self.push(
                            Severity::Warning,
                            "UNKNOWN_VARIABLE",
                            format!("`{}` is a {kind}, which has no property `{part}`: `{{{{{text}}}}}` always renders empty.", parent.join(".")),
                            span,
                            None,
                        );
                    }
                    return None;
                }
            }
        }
        Some(Resolved { node })
    }

    fn payload_prefix(&mut self, path: &PathExpr, text: &str, locs: &[SegLoc], skip: usize) {
        let span = self.map_span(path.span.start, path.span.end);
        let assumed = matches!(self.layout, Layout::Flat { assumed: true });
        let trig = self
            .trigger_name
            .clone()
            .unwrap_or_else(|| "a booking trigger".into());
        let seg = locs.get(skip);
        let next = locs.get(skip + 1);
        let mut fix = None;
        let mut fixed_text = String::new();
        if let (Some(seg), Some(next)) = (seg, next) {
            let rel_s = seg.start - path.span.start;
            let rel_e = next.start - path.span.start;
            fixed_text = format!(
                "{}{}",
                text.get(..rel_s).unwrap_or(""),
                text.get(rel_e..).unwrap_or("")
            );
            fix = self.map_fix(
                seg.start,
                next.start,
                String::new(),
                format!("Use {{{{{fixed_text}}}}}"),
            );
        }
        let mut msg = if fixed_text.is_empty() {
            format!("There is no `payload` object in the data of {trig}: Cal.com renders booking data flat (`{{...payload, triggerEvent, createdAt}}`), so `{{{{{text}}}}}` is always empty. Read the fields directly (`{{{{title}}}}`, `{{{{uid}}}}`).")
        } else {
            format!("`{{{{{text}}}}}` renders empty on the real sender: the data of {trig} is flat (`{{...payload, triggerEvent, createdAt}}`), so there is no `payload` object (the API reference's `payload.` form is wrong). Write `{{{{{fixed_text}}}}}`.")
        };
        if assumed {
            msg.push_str(" (No trigger was given, so a booking trigger is assumed; for FORM_SUBMITTED and other generic triggers `payload.` is right.)");
        }
        self.push(
            Severity::Warning,
            "REFERENCE_PAYLOAD_PREFIX",
            msg,
            span,
            fix,
        );
    }

    fn reference_index_note(&mut self, path: &PathExpr, text: &str) {
        let b = text.as_bytes();
        let has_index = (1..b.len()).any(|i| {
            b[i] == b'['
                && b[i - 1] != b'.'
                && b[i - 1] != b'/'
                && digit_index_len(&text[i..]).is_some()
        });
        if has_index {
            let span = self.map_span(path.span.start, path.span.end);
            self.push(
                Severity::Info,
                "REFERENCE_INDEX_SYNTAX",
                format!("The reference dialect accepts `{text}`, but real Handlebars cannot parse a JavaScript-style index: on the real sender the render throws and the webhook is not sent. Write indexes as segments (`a.0.b`, or `a.[0]` at the end)."),
                span,
                None,
            );
        }
    }

    fn unknown(
        &mut self,
        path: &PathExpr,
        text: &str,
        locs: &[SegLoc],
        i: usize,
        node: Node,
        candidates: &[&'static str],
    ) {
        let span = self.map_span(path.span.start, path.span.end);
        let trig = self.trigger_name.clone().unwrap_or_default();
        let part = path.parts.get(i).map(String::as_str).unwrap_or("");
        let loc = locs.get(i);
        // A generic trigger's field written at the root: `{{formId}}` → `{{payload.formId}}`.
        if let (Node::NestedRoot(shape), Some(loc)) = (node, loc) {
            if shape.field(part).is_some() && i == 0 {
                let rel = loc.start - path.span.start;
                let new = format!(
                    "{}payload.{}",
                    text.get(..rel).unwrap_or(""),
                    text.get(rel..).unwrap_or("")
                );
                let fix = self.map_fix(
                    loc.start,
                    loc.start,
                    "payload.".into(),
                    format!("Use {{{{{new}}}}}"),
                );
                let why = if self.dialect == Dialect::Reference {
                    "in the reference dialect the data is `{triggerEvent, createdAt, payload}`"
                        .to_string()
                } else {
                    format!("{trig} renders against `{{...rootData, triggerEvent, createdAt, payload}}`")
                };
                self.push(
                    Severity::Warning,
                    "UNKNOWN_VARIABLE",
                    format!("`{{{{{text}}}}}` renders empty: {why}, so its fields are under `payload`. Write `{{{{{new}}}}}`."),
                    span,
                    fix,
                );
                return;
            }
        }
        match (suggest(part, candidates), loc) {
            (Some(s), Some(loc)) => {
                let seg = segment_text(s);
                let rel_s = loc.start - path.span.start;
                let rel_e = loc.end - path.span.start;
                let new = format!(
                    "{}{}{}",
                    text.get(..rel_s).unwrap_or(""),
                    seg,
                    text.get(rel_e..).unwrap_or("")
                );
                let fix = self.map_fix(loc.start, loc.end, seg, format!("Use {{{{{new}}}}}"));
                self.push(
                    Severity::Warning,
                    "UNKNOWN_VARIABLE",
                    format!("`{part}` is not a field of {trig}'s data, so `{{{{{text}}}}}` renders empty. Did you mean `{{{{{new}}}}}`?"),
                    span,
                    fix,
                );
            }
            _ => {
                self.push(
                    Severity::Info,
                    "UNKNOWN_VARIABLE",
                    format!("`{part}` is not a documented field of {trig}'s data: `{{{{{text}}}}}` renders empty unless the sender adds it (extra fields do occur)."),
                    span,
                    None,
                );
            }
        }
    }

    fn array_name(&mut self, path: &PathExpr, text: &str, locs: &[SegLoc], i: usize, elem: Node) {
        let span = self.map_span(path.span.start, path.span.end);
        let part = path.parts.get(i).map(String::as_str).unwrap_or("");
        let parent: Vec<&str> = path.parts.iter().take(i).map(String::as_str).collect();
        let parent = parent.join(".");
        let found = matches!(elem.child(part), Child::Found(_) | Child::Open);
        let fix = match (found, locs.get(i)) {
            (true, Some(loc)) => {
                let rel = loc.start - path.span.start;
                let new = format!(
                    "{}0.{}",
                    text.get(..rel).unwrap_or(""),
                    text.get(rel..).unwrap_or("")
                );
                self.map_fix(
                    loc.start,
                    loc.start,
                    "0.".into(),
                    format!("Use {{{{{new}}}}}"),
                )
            }
            _ => None,
        };
        let hint = if found {
            format!(" Pick an item, e.g. `{{{{{parent}.0.{part}}}}}` for the first one, or loop with `{{{{#each {parent}}}}}{{{{{part}}}}}{{{{/each}}}}`.")
        } else {
            String::new()
        };
        self.push(
            Severity::Warning,
            "UNKNOWN_VARIABLE",
            format!("`{parent}` is a list, which has no property `{part}`: `{{{{{text}}}}}` always renders empty.{hint}"),
            span,
            fix,
        );
    }

    // -----------------------------------------------------------------------------------------
    // Values
    // -----------------------------------------------------------------------------------------

    fn check_value(&mut self, m: &Mustache, path: &PathExpr, resolved: Resolved) {
        let node = resolved.node;
        let text = self.fixed_text(path.span.start, path.span.end).to_string();
        let last = path.parts.last().map(String::as_str).unwrap_or("");
        let mspan = self.map_span(m.span.start, m.span.end);
        let object = node.object_kind().or_else(|| {
            (matches!(node, Node::Unknown | Node::Ty(Ty::Any, _)) && OBJECT_NAMES.contains(&last))
                .then_some(ObjectKind::Object)
        });
        if let Some(kind) = object {
            let suggestion = node.suggest_field().or_else(|| match last {
                "organizer" | "team" | "user" | "toUser" => Some("name".into()),
                "attendees" => Some("0.name".into()),
                "language" => Some("locale".into()),
                _ => None,
            });
            let what = match kind {
                ObjectKind::Object => "an object, which renders as the text `[object Object]`".to_string(),
                ObjectKind::ArrayOfObjects => "a list of objects, which renders as `[object Object]` once per item, comma-joined".to_string(),
            };
            let mut msg = format!("`{text}` is {what}.");
            let fix = suggestion.and_then(|s| {
                let new = if text == "this" || text == "." {
                    s.clone()
                } else {
                    format!("{text}.{s}")
                };
                msg.push_str(&format!(" Pick a field, e.g. `{{{{{new}}}}}`."));
                self.map_fix(
                    path.span.start,
                    path.span.end,
                    new.clone(),
                    format!("Use {{{{{new}}}}}"),
                )
            });
            if !msg.contains("Pick a field") {
                msg.push_str(" Pick one of its fields.");
            }
            msg.push_str(" (Older Cal.com versions JSON-encoded organizer, attendees and metadata before rendering; the current sender does not.)");
            self.push(Severity::Warning, "OBJECT_RENDER", msg, mspan, fix);
            return;
        }
        let Some(kind) = text_kind(node, last) else {
            return;
        };
        if kind == TextKind::Free && self.is_json {
            self.push(
                Severity::Warning,
                "JSON_BREAKING_VALUE",
                format!("`{{{{{text}}}}}` is free text inside a JSON string. When a value contains a double quote, a backslash or a line break, the rendered text is not valid JSON once Cal.com turns `&quot;` back into `\"`, and the body becomes the literal `false` (still sent as application/json). No template change keeps the JSON valid for every value (Handlebars has no JSON escaping and Cal.com registers no helpers): leave free-text fields out, or accept the risk and treat a `false` body as a lost payload in your receiver."),
                mspan,
                None,
            );
        }
        if m.escaped {
            let src = self.fixed_text(m.span.start, m.span.end).to_string();
            let open_len = if src.starts_with("{{~") { 3 } else { 2 };
            let close_len = if src.ends_with("~}}") { 3 } else { 2 };
            let replacement = if src.len() >= open_len + close_len {
                Some(format!(
                    "{}{{{}}}{}",
                    &src[..open_len],
                    &src[open_len..src.len() - close_len],
                    &src[src.len() - close_len..]
                ))
            } else {
                None
            };
            let fix = replacement.and_then(|r| {
                self.map_fix(m.span.start, m.span.end, r.clone(), format!("Use {r}"))
            });
            let (severity, what) = match kind {
                TextKind::Url => (Severity::Warning, "a URL: `&` and `=` in its query string arrive as `&amp;` and `&#x3D;`, which breaks the link"),
                TextKind::Free => (Severity::Info, "free text: `{{x}}` HTML-escapes it, so `&`, `<`, `>`, `'`, `` ` `` and `=` arrive as entities (an apostrophe arrives as `&#x27;`)"),
            };
            let mut msg = format!("`{text}` is {what}. Use the triple-stash `{{{{{{{text}}}}}}}` to send the value unescaped.");
            if self.is_json {
                msg.push_str(" (A double quote behaves the same either way, since Cal.com turns `&quot;` back into `\"`; the JSON risk of free text remains.)");
            }
            self.push(severity, "HTML_ENTITY", msg, mspan, fix);
        }
    }
}

struct Resolved {
    node: Node,
}

struct PendingDiag {
    severity: Severity,
    code: &'static str,
    message: String,
    start: usize,
    end: usize,
    title: String,
}

struct RecognizedFix {
    start: usize,
    end: usize,
    replacement: String,
    diag: PendingDiag,
}

fn edit(start: usize, end: usize, replacement: &str) -> Edit {
    Edit {
        old_start: start,
        old_end: end,
        new_start: 0,
        new_end: 0,
        replacement: replacement.to_string(),
    }
}

/// Length of a `[digits]` at the start of `s`.
fn digit_index_len(s: &str) -> Option<usize> {
    let inner = s.strip_prefix('[')?;
    let n = inner.bytes().take_while(u8::is_ascii_digit).count();
    (n > 0 && inner.as_bytes().get(n) == Some(&b']')).then_some(n + 2)
}

/// Whether `s` starts with `[digits]`.
fn is_digit_index(s: &str) -> bool {
    digit_index_len(s).is_some()
}

/// Scan back from `at` over a path (`a.b/c`, `@root.`, `../`) to its first byte.
fn path_start_before(text: &str, at: usize) -> usize {
    let head = text.get(..at).unwrap_or("");
    let mut start = at;
    for (i, c) in head.char_indices().rev() {
        if is_id_char(c) || c == '.' || c == '/' || c == '@' {
            start = i;
        } else {
            break;
        }
    }
    start
}

/// The first line of a tag, shortened, for messages.
fn first_line(tag: &str) -> String {
    let line = tag.lines().next().unwrap_or("");
    let short: String = line.chars().take(40).collect();
    if short.len() < tag.len() {
        format!("{short}…")
    } else {
        short
    }
}
