//! The content type: Cal.com sends JSON iff `JSON.parse(template)` is truthy. A template that
//! looks like JSON but is not (an unquoted mustache, a comment, a trailing comma, single
//! quotes, a byte order mark) or parses to a falsy value is sent form-urlencoded.

use super::edits::{edit, Edit, EditMap};
use super::linter::Linter;
use super::{LintCode, Severity};
use crate::json::{self, Value};
use crate::template::ast::{Program, Statement};
use crate::template::is_js_space;

impl Linter<'_> {
    pub(super) fn check_content_type(&mut self, program: &Program) {
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
                    LintCode::NotJsonTemplate,
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
                LintCode::NotJsonTemplate,
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
                        LintCode::NotJsonTemplate,
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
                        LintCode::NotJsonTemplate,
                        format!("The comment `{tag}` is template text outside a JSON string, {CONSEQUENCE}. Remove it (or move it inside a JSON string value)."),
                        dspan,
                        fix,
                    );
                    candidate_edits.push(edit(span.start, span.end, ""));
                }
                _ => {
                    self.push(
                        Severity::Warning,
                        LintCode::NotJsonTemplate,
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
            LintCode::NotJsonTemplate,
            format!("The template looks like JSON but is not: {cause}, {CONSEQUENCE}."),
            span,
            fix,
        );
    }
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
