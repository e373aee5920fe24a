//! The `payloadTemplate` of a webhook body, checked against the subscribed triggers.
//!
//! The static findings are the payload-template linter's ([`crate::lint`]), run once per
//! distinct trigger data (shape and layout) and summarised as webhook issues at path
//! `payloadTemplate`: a syntax error, the reference's `name[0]` index, `payload.` paths on flat
//! data, variables no subscribed trigger has. Rendering a sample event of each trigger adds
//! what only data shows (a render that throws, a JSON body that does not survive the values).

use super::validate::{WebhookIssue, WebhookIssueCode};
use crate::event::{sample, trigger, TemplateData, TriggerInfo};
use crate::json::{self, Object, RunMap, Value};
use crate::lint::{self, Diagnostic, LintCode, LintOptions, Severity};
use crate::span::Span;
use crate::template::{compile, CompileOptions, Dialect, Template};

/// Every issue is reported at this path.
const PATH: &str = "payloadTemplate";

/// Check `src` against `triggers`, appending to `issues`. An empty template is no template.
pub(super) fn check_into(src: &str, triggers: &[String], issues: &mut Vec<WebhookIssue>) {
    if src.trim().is_empty() {
        return;
    }
    let subscribed = Subscribed::of(triggers);
    let runs = lint_runs(src, &subscribed);
    let mut out = Issues(issues);
    let first = runs.first().map_or(&[][..], |r| r.diags.as_slice());
    if let Some(template) = check_syntax(src, first, &mut out) {
        check_payload_prefix(src, &runs, &mut out);
        render_samples(src, &template, &subscribed.infos, &mut out);
        if subscribed.all_known {
            check_unknown_variables(src, &subscribed, &runs, &mut out);
        }
    }
    if !lint::sends_json(src) {
        out.push(
            WebhookIssueCode::TemplateNotJson,
            Severity::Warning,
            "The template is not JSON, so Cal.com sends the rendered text as is with Content-Type \
             application/x-www-form-urlencoded (a JSON template needs every mustache inside a string, \
             e.g. \"{{title}}\", or a valid JSON literal around it)."
                .into(),
        );
    }
}

/// The issues being collected.
struct Issues<'a>(&'a mut Vec<WebhookIssue>);

impl Issues<'_> {
    fn push(&mut self, code: WebhookIssueCode, severity: Severity, message: String) {
        self.0.push(WebhookIssue {
            path: PATH.into(),
            code,
            message,
            severity,
        });
    }
}

/// The subscribed triggers the library knows, each once (the template is rendered per
/// trigger, so a list repeating a name must not repeat the work).
struct Subscribed {
    infos: Vec<&'static TriggerInfo>,
    /// Every name is a known trigger (and there is at least one): variables can be checked.
    all_known: bool,
}

impl Subscribed {
    fn of(triggers: &[String]) -> Subscribed {
        let mut infos: Vec<&'static TriggerInfo> = Vec::new();
        let mut all_known = !triggers.is_empty();
        for t in triggers {
            match trigger(t) {
                Some(info) if !infos.iter().any(|i| i.name == info.name) => infos.push(info),
                Some(_) => {}
                None => all_known = false,
            }
        }
        Subscribed { infos, all_known }
    }

    /// `BOOKING_CREATED, BOOKING_CANCELLED`.
    fn names(&self) -> String {
        let names: Vec<&str> = self.infos.iter().map(|t| t.name).collect();
        names.join(", ")
    }
}

/// The linter's findings for triggers that share one data shape and layout.
struct LintRun {
    /// `None`: no known trigger, linted with the linter's assumed booking data (its layout
    /// findings do not apply then).
    trigger: Option<&'static TriggerInfo>,
    diags: Vec<Diagnostic>,
}

/// Lint once per distinct (shape, layout) of the subscribed triggers (parsing once per
/// layout), or once without a trigger when none is known.
fn lint_runs(src: &str, subscribed: &Subscribed) -> Vec<LintRun> {
    if subscribed.infos.is_empty() {
        let diags = lint::lint_template(src, &LintOptions::default());
        return vec![LintRun {
            trigger: None,
            diags,
        }];
    }
    let mut distinct: Vec<&'static TriggerInfo> = Vec::new();
    for info in &subscribed.infos {
        let same_data = |d: &&&TriggerInfo| {
            std::ptr::eq(d.shape, info.shape) && d.template_data == info.template_data
        };
        if !distinct.iter().any(|d| same_data(&d)) {
            distinct.push(info);
        }
    }
    let names: Vec<&str> = distinct.iter().map(|t| t.name).collect();
    lint::lint_template_per_trigger(src, Dialect::Calcom, &names)
        .into_iter()
        .zip(distinct)
        .map(|(diags, info)| LintRun {
            trigger: Some(info),
            diags,
        })
        .collect()
}

/// The linter's codes for a template Handlebars (in the sender's dialect) cannot compile.
fn is_compile_error(code: LintCode) -> bool {
    matches!(
        code,
        LintCode::TemplateSyntax
            | LintCode::TripleClose
            | LintCode::NumericSegment
            | LintCode::TemplateLimit
    )
}

/// A compile error is an error (the sender throws and sends nothing); the reference's
/// `name[0]` index alone is a warning, since the API accepts it. Returns the template the
/// samples render with: the sender's reading, or the reference's when only its index stands in
/// the way (the other checks then run on the reference's reading).
fn check_syntax(src: &str, diags: &[Diagnostic], out: &mut Issues) -> Option<Template> {
    if let Some(d) = diags.iter().find(|d| is_compile_error(d.code)) {
        let code = match d.code {
            LintCode::TemplateLimit => WebhookIssueCode::TemplateLimit,
            _ => WebhookIssueCode::TemplateSyntax,
        };
        // The linter's own note about where it stopped means nothing here.
        let message = d.message.trim_end_matches(" The linter stopped here.");
        let at = position_text(src, &d.span);
        out.push(
            code,
            Severity::Error,
            format!("The template does not compile{at}: {message}"),
        );
        return None;
    }
    if let Some(d) = diags
        .iter()
        .find(|d| d.code == LintCode::ReferenceIndexSyntax)
    {
        let at = position_text(src, &d.span);
        out.push(
            WebhookIssueCode::ReferenceIndexSyntax,
            Severity::Warning,
            format!(
                "The template uses the API reference's `name[0]` index{at}, which the Cal.com sender's \
                 Handlebars cannot compile: it would send nothing for this webhook. Write indexes as \
                 `.0` or `.[0]` (`attendees.0.email`)."
            ),
        );
    }
    let reference = CompileOptions {
        dialect: Dialect::Reference,
        ..CompileOptions::default()
    };
    let compiled = compile(src, &CompileOptions::default()).or_else(|_| compile(src, &reference));
    match compiled {
        Ok(template) => Some(template),
        Err(e) => {
            // The linter recovered from something neither dialect compiles: still an error.
            let at = e.span.map(|s| position_text(src, &s)).unwrap_or_default();
            out.push(
                WebhookIssueCode::TemplateSyntax,
                Severity::Error,
                format!(
                    "The template does not compile{at}: {}. Cal.com would fail to render it and send nothing.",
                    e.message.trim_end_matches('.')
                ),
            );
            None
        }
    }
}

/// One warning when `payload.…` paths read flat (booking-style) data, where they are empty.
fn check_payload_prefix(src: &str, runs: &[LintRun], out: &mut Issues) {
    let flat_runs = runs.iter().filter(|r| {
        r.trigger
            .is_some_and(|t| t.template_data == TemplateData::Flat)
    });
    let prefixed = flat_runs
        .flat_map(|r| r.diags.iter())
        .any(|d| match d.code {
            LintCode::ReferencePayloadPrefix => d.severity == Severity::Warning,
            // The index fix drops the prefix on flat data: `payload.attendees[0].email`.
            LintCode::ReferenceIndexSyntax => reads_payload(span_text(src, &d.span)),
            _ => false,
        });
    if prefixed {
        out.push(
            WebhookIssueCode::TemplatePayloadPrefix,
            Severity::Warning,
            "The template uses `payload.…` paths, but booking-style triggers render against the \
             payload's fields directly (`{{uid}}`, `{{organizer.name}}`): `{{payload.uid}}` renders empty there."
                .into(),
        );
    }
}

/// Whether a path as written starts at the data's `payload`.
fn reads_payload(path: &str) -> bool {
    let rest = ["@root.", "@root/", "this.", "this/", "./"]
        .iter()
        .find_map(|lead| path.strip_prefix(lead))
        .unwrap_or(path);
    rest == "payload" || rest.starts_with("payload.") || rest.starts_with("payload/")
}

/// A warning per path that renders empty with every subscribed trigger (a variable of any
/// of them is fine: the same template serves them all).
fn check_unknown_variables(src: &str, subscribed: &Subscribed, runs: &[LintRun], out: &mut Issues) {
    // Sets, not scans: a template may hold thousands of unknown paths. Ordered sets, not hash
    // tables: wasm32 std seeds `RandomState` from addresses, so a template's paths could be
    // chosen to collide.
    let unknown: Vec<RunMap<&str, ()>> = runs
        .iter()
        .map(|r| {
            r.diags
                .iter()
                .filter(|d| d.code == LintCode::UnknownVariable)
                .map(|d| (span_text(src, &d.span), ()))
                .collect()
        })
        .collect();
    let mut reported: RunMap<&str, ()> = RunMap::new();
    let Some(first) = runs.first() else {
        return;
    };
    for d in first
        .diags
        .iter()
        .filter(|d| d.code == LintCode::UnknownVariable)
    {
        let text = span_text(src, &d.span);
        if !unknown.iter().all(|set| set.get(text).is_some())
            || reported.get_or_insert(text, ()).is_some()
        {
            continue;
        }
        let hint = d
            .fix
            .as_ref()
            .and_then(|f| f.title.strip_prefix("Use "))
            .map(|new| format!(" Did you mean `{new}`?"))
            .unwrap_or_default();
        out.push(
            WebhookIssueCode::TemplateUnknownVariable,
            Severity::Warning,
            format!(
                "`{{{{{text}}}}}` is not a variable of {}: it renders empty unless the sender adds it.{hint}",
                subscribed.names()
            ),
        );
    }
}

/// Render a sample event of each trigger: a render that throws is an error; a JSON template
/// whose output is not JSON (Cal.com then sends `false`) a warning. The first of each stops.
fn render_samples(
    src: &str,
    template: &Template,
    infos: &[&'static TriggerInfo],
    out: &mut Issues,
) {
    let is_json = lint::sends_json(src);
    for info in infos {
        match template.render(&template_data(info)) {
            Err(e) => {
                out.push(
                    WebhookIssueCode::TemplateRender,
                    Severity::Error,
                    format!(
                        "Rendering the template with a sample {} event fails: {}. Cal.com would throw and send nothing.",
                        info.name,
                        e.message.trim_end_matches('.')
                    ),
                );
                break;
            }
            Ok(rendered) => {
                let body = rendered.replace("&quot;", "\"");
                if is_json && json::parse(&body).is_err() {
                    out.push(
                        WebhookIssueCode::TemplateInvalidOutput,
                        Severity::Warning,
                        format!(
                            "With a sample {} event the rendered template is not valid JSON, so Cal.com sends the body `false`. \
                             Values containing quotes, newlines or other escapes break JSON strings.",
                            info.name
                        ),
                    );
                    break;
                }
            }
        }
    }
}

/// The source text of a span (empty if the span does not fit).
fn span_text<'s>(src: &'s str, span: &Span) -> &'s str {
    src.get(span.start..span.end).unwrap_or("")
}

/// ` (line L, column C)` for a template span, the column in UTF-16 code units (the message
/// reaches JS, which indexes strings so).
fn position_text(src: &str, span: &Span) -> String {
    let start = span.start.min(src.len());
    let before = src.get(..start).unwrap_or(src);
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let column = before
        .get(line_start..)
        .map_or(0, |l| l.encode_utf16().count())
        + 1;
    format!(" (line {}, column {column})", span.line)
}

/// The data Cal.com renders templates against, for a sample event of `info`.
fn template_data(info: &TriggerInfo) -> Value {
    let payload = sample::sample_data(info);
    let created = Value::string(sample::SAMPLE_CREATED_AT);
    let mut data = match info.template_data {
        TemplateData::Flat => payload.as_object().cloned().unwrap_or_default(),
        TemplateData::Nested => {
            let mut o = Object::new();
            o.insert("payload", payload);
            o
        }
    };
    data.insert("triggerEvent", Value::string(info.name));
    data.insert("createdAt", created);
    Value::object(data)
}
