//! Syntax, with recovery: parse the template; on an error the linter knows how to fix (a
//! triple close `}}}`, a numeric last segment, a JavaScript-style index), report it with its
//! fix, apply the fix to a copy and parse again, so that the rest of the template is checked.

use super::edits::{edit, Edit, EditMap};
use super::linter::{Layout, Linter, MAX_SYNTAX_FIXES, SYNTAX_FIX_BUDGET};
use super::paths::{digit_index_len, is_digit_index, path_start_before};
use super::{Fix, LintCode, Severity};
use crate::template::ast::Program;
use crate::template::{compile, is_id_char, CompileOptions, TemplateErrorCode};

impl Linter<'_> {
    pub(super) fn parse_with_recovery(&mut self) -> Option<Program> {
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
                    LintCode::TemplateLimit,
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
                    edits.push(edit(old_start, old_end, &replacement));
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
                        LintCode::TemplateSyntax,
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
                    code: LintCode::TripleClose,
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
                    code: LintCode::NumericSegment,
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
                code: LintCode::ReferenceIndexSyntax,
                message: msg,
                start,
                end,
                title: format!("Use {{{{{replacement}}}}}"),
            },
        })
    }
}

/// A finding whose range is still in the fixed text.
struct PendingDiag {
    severity: Severity,
    code: LintCode,
    message: String,
    start: usize,
    end: usize,
    title: String,
}

/// A recognised syntax error: the range of the fixed text to replace, with what, and why.
struct RecognizedFix {
    start: usize,
    end: usize,
    replacement: String,
    diag: PendingDiag,
}
