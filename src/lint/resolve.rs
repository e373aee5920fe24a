//! Paths: where a path starts (a block parameter, a context level, `@root`), what it reaches
//! in the data model, and the findings on the way (the reference's `payload.` prefix, unknown
//! names with "did you mean" fixes, a name on a list, a property of a scalar).

use super::linter::{Layout, Linter};
use super::model::{Child, Node};
use super::paths::{digit_index_len, part_locs, segment_text, suggest, SegLoc};
use super::{LintCode, Severity};
use crate::template::ast::PathExpr;
use crate::template::Dialect;

impl Linter<'_> {
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

    pub(super) fn resolve(&self, path: &PathExpr) -> Option<Resolved> {
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
    pub(super) fn check_path(&mut self, path: &PathExpr) -> Option<Resolved> {
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
                        LintCode::ReferencePayloadPrefix,
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
        // Below a field whose keys vary from booking to booking (`metadata`, `responses`), a
        // name the shape does not list may still be there.
        let mut under_open_keys = false;
        for (i, part) in path.parts.iter().enumerate().skip(skip) {
            match node.child(part) {
                Child::Found(n) => {
                    node = n;
                    under_open_keys |= n.has_open_keys();
                }
                Child::Open => node = Node::Unknown,
                Child::Missing(candidates) => {
                    if self.check_unknown && !under_open_keys {
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
                            LintCode::UnknownVariable,
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
            LintCode::ReferencePayloadPrefix,
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
                LintCode::ReferenceIndexSyntax,
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
                    LintCode::UnknownVariable,
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
                    LintCode::UnknownVariable,
                    format!("`{part}` is not a field of {trig}'s data, so `{{{{{text}}}}}` renders empty. Did you mean `{{{{{new}}}}}`?"),
                    span,
                    fix,
                );
            }
            _ => {
                self.push(
                    Severity::Info,
                    LintCode::UnknownVariable,
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
            LintCode::UnknownVariable,
            format!("`{parent}` is a list, which has no property `{part}`: `{{{{{text}}}}}` always renders empty.{hint}"),
            span,
            fix,
        );
    }
}

/// What a path reaches.
pub(super) struct Resolved {
    pub(super) node: Node,
}
