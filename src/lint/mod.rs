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
//!
//! The files follow the pipeline: `linter` holds the state, `syntax` parses with
//! recovery, `content_type` decides JSON or form, `walk` visits blocks and helpers,
//! `resolve` checks paths against the data `model` (read from the shapes), `values` checks
//! what a mustache prints; `edits` and `paths` are the text utilities under them.

mod code;
mod content_type;
mod edits;
mod linter;
mod model;
mod paths;
mod resolve;
mod syntax;
mod values;
mod walk;

use crate::span::Span;
use crate::template::Dialect;
pub use code::LintCode;
use linter::Linter;

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
    /// What was found; `code.as_str()` is the stable machine-readable code, e.g.
    /// `TEMPLATE_SYNTAX`, `REFERENCE_PAYLOAD_PREFIX`.
    pub code: LintCode,
    /// What will happen on the real sender and what to do about it.
    pub message: String,
    /// Where in the template.
    pub span: Span,
    /// An edit that resolves the finding, when there is one.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// What was found (`.as_str()` gives the stable string), as the other domains' errors
    /// name it.
    pub fn code(&self) -> LintCode {
        self.code
    }
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
    sorted(linter.diags)
}

/// [`lint_template`] for each of `triggers` (one list per trigger, in order), as a webhook
/// subscribed to all of them sees the template. The template is parsed once per data layout
/// (flat or nested), not once per trigger.
pub fn lint_template_per_trigger(
    source: &str,
    dialect: Dialect,
    triggers: &[&str],
) -> Vec<Vec<Diagnostic>> {
    let mut prepared: Vec<(linter::Layout, linter::Prepared)> = Vec::new();
    let mut out = Vec::with_capacity(triggers.len());
    for trigger in triggers {
        let options = LintOptions {
            dialect,
            trigger: Some(trigger.to_string()),
        };
        let mut linter = Linter::new(source, &options);
        match prepared
            .iter()
            .find(|(layout, _)| *layout == linter.layout())
        {
            Some((_, done)) => linter.run_prepared(done),
            None => {
                let done = linter.run();
                prepared.push((linter.layout(), done));
            }
        }
        out.push(sorted(linter.diags));
    }
    out
}

/// Findings in source order (then by end, then errors first).
fn sorted(mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    out.sort_by(|a, b| {
        (a.span.start, a.span.end, severity_rank(a.severity)).cmp(&(
            b.span.start,
            b.span.end,
            severity_rank(b.severity),
        ))
    });
    out
}

/// Whether Cal.com sends the rendered `template` as JSON: its content type is
/// `application/json` iff `JSON.parse(template)` is truthy, else form-urlencoded.
pub fn sends_json(template: &str) -> bool {
    crate::json::parse(template).is_ok_and(|v| v.is_truthy())
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
