//! The linter's state: the source, the syntax-fixed text and its position map, the data
//! layout and root node, the scope stack of the tree walk, and the findings so far.

use super::edits::EditMap;
use super::model::Node;
use super::{Diagnostic, Fix, LintCode, LintOptions, Severity};
use crate::event::{self, TemplateData};
use crate::span::{LineIndex, Span};
use crate::template::ast::Program;
use crate::template::Dialect;

/// How the template's data is laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// Booking-style, flat. `assumed`: no trigger was given.
    Flat { assumed: bool },
    /// Generic triggers: `payload.x`.
    Nested,
}

/// One level of the tree walk: a block's context and its block parameters.
pub(super) struct Scope {
    pub(super) ctx: Node,
    /// False for `#if`/`#unless` (they do not push a context level).
    pub(super) pushes: bool,
    pub(super) params: Vec<(String, Node)>,
}

/// One lint run over one template.
pub(super) struct Linter<'s> {
    pub(super) source: &'s str,
    pub(super) dialect: Dialect,
    pub(super) trigger_name: Option<String>,
    /// Known trigger (or the assumed booking one).
    pub(super) layout: Layout,
    /// Whether `UNKNOWN_VARIABLE` is checked.
    pub(super) check_unknown: bool,
    pub(super) root: Node,
    pub(super) diags: Vec<Diagnostic>,
    /// The text after syntax fixes, and how it maps back to `source`.
    pub(super) fixed: String,
    pub(super) map: EditMap,
    pub(super) lines: LineIndex<'s>,
    /// `JSON.parse(fixed)` is truthy: the body is sent as JSON.
    pub(super) is_json: bool,
    pub(super) scopes: Vec<Scope>,
}

/// At most this many syntax errors are fixed and re-parsed ...
pub(super) const MAX_SYNTAX_FIXES: usize = 64;
/// ... and at most this many source bytes are parsed for it (big templates get fewer rounds).
pub(super) const SYNTAX_FIX_BUDGET: usize = 1 << 20;

impl<'s> Linter<'s> {
    pub(super) fn new(source: &'s str, options: &LintOptions) -> Self {
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

    pub(super) fn span(&self, start: usize, end: usize) -> Span {
        let start = start.min(self.source.len());
        let end = end.clamp(start, self.source.len());
        self.lines.span(start, end)
    }

    /// Map a range of the fixed text to a span of the source.
    pub(super) fn map_span(&self, start: usize, end: usize) -> Span {
        let s = self.map.to_old(start, false);
        let e = self.map.to_old(end, true).max(s);
        self.span(s, e)
    }

    /// A fix for a range of the fixed text, unless it touches a syntax fix.
    pub(super) fn map_fix(
        &self,
        start: usize,
        end: usize,
        replacement: String,
        title: String,
    ) -> Option<Fix> {
        if self.map.overlaps(start, end) {
            return None;
        }
        Some(Fix {
            span: self.map_span(start, end),
            replacement,
            title,
        })
    }

    pub(super) fn push(
        &mut self,
        severity: Severity,
        code: LintCode,
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

    pub(super) fn fixed_text(&self, start: usize, end: usize) -> &str {
        self.fixed.get(start..end).unwrap_or("")
    }

    /// Lint the whole template: syntax, content type, then the tree walk. Returns what the
    /// first two found, for [`Linter::run_prepared`] on the same source and layout.
    pub(super) fn run(&mut self) -> Prepared {
        self.note_unknown_trigger();
        let before = self.diags.len();
        let program = if self.source.is_empty() {
            None
        } else {
            self.parse_with_recovery()
        };
        if let Some(program) = &program {
            self.is_json = super::sends_json(&self.fixed);
            self.check_content_type(program);
        }
        let prepared = Prepared {
            diags: self.diags.get(before..).unwrap_or_default().to_vec(),
            fixed: self.fixed.clone(),
            map: self.map.clone(),
            is_json: self.is_json,
            program,
        };
        if let Some(program) = &prepared.program {
            self.walk_root(program);
        }
        prepared
    }

    /// Lint with the syntax and content-type findings of an earlier run on the same source
    /// and data layout (they do not depend on the shape): only the tree walk is repeated.
    pub(super) fn run_prepared(&mut self, prepared: &Prepared) {
        self.note_unknown_trigger();
        self.diags.extend(prepared.diags.iter().cloned());
        self.fixed.clone_from(&prepared.fixed);
        self.map = prepared.map.clone();
        self.is_json = prepared.is_json;
        if let Some(program) = &prepared.program {
            self.walk_root(program);
        }
    }

    /// The data layout this run checks against.
    pub(super) fn layout(&self) -> Layout {
        self.layout
    }

    /// An `UNKNOWN_TRIGGER` note when the given trigger is not one this library knows (not
    /// for an empty template, which is no template).
    fn note_unknown_trigger(&mut self) {
        if self.source.is_empty() {
            return;
        }
        if let Some(t) = &self.trigger_name {
            if event::trigger(t).is_none() {
                let msg = format!(
                    "\"{t}\" is not a trigger this library knows; variables are not checked and a booking trigger's flat data is assumed."
                );
                let span = self.span(0, 0);
                self.push(Severity::Info, LintCode::UnknownTrigger, msg, span, None);
            }
        }
    }

    /// Walk the template from the data root.
    fn walk_root(&mut self, program: &Program) {
        self.scopes.push(Scope {
            ctx: self.root,
            pushes: true,
            params: Vec::new(),
        });
        self.walk_program(program);
    }
}

/// What parsing and the content-type check of one source found, for reuse by runs with the
/// same data layout.
pub(super) struct Prepared {
    diags: Vec<Diagnostic>,
    fixed: String,
    map: EditMap,
    is_json: bool,
    /// `None` when the template did not parse.
    program: Option<Program>,
}
