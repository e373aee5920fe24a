//! Values: what a mustache prints. An object renders `[object Object]`; free text can break
//! a JSON body; `{{x}}` HTML-escapes URLs and text.

use super::linter::Linter;
use super::model::{text_kind, Node, ObjectKind, TextKind};
use super::resolve::Resolved;
use super::{LintCode, Severity};
use crate::event::Ty;
use crate::template::ast::{Mustache, PathExpr};

impl Linter<'_> {
    pub(super) fn check_value(&mut self, m: &Mustache, path: &PathExpr, resolved: Resolved) {
        let node = resolved.node;
        let text = self.fixed_text(path.span.start, path.span.end).to_string();
        let last = path.parts.last().map(String::as_str).unwrap_or("");
        let mspan = self.map_span(m.span.start, m.span.end);
        let object = node.object_kind().or_else(|| {
            (matches!(node, Node::Unknown | Node::Ty(Ty::Any, _)) && node.attrs(last).object)
                .then_some(ObjectKind::Object)
        });
        if let Some(kind) = object {
            let suggestion = node.suggest_field().or_else(|| {
                let pick = node.attrs(last).pick;
                (!pick.is_empty()).then(|| pick.to_string())
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
            self.push(Severity::Warning, LintCode::ObjectRender, msg, mspan, fix);
            return;
        }
        let Some(kind) = text_kind(node, last) else {
            return;
        };
        if kind == TextKind::Free && self.is_json {
            self.push(
                Severity::Warning,
                LintCode::JsonBreakingValue,
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
            self.push(severity, LintCode::HtmlEntity, msg, mspan, fix);
        }
    }
}
