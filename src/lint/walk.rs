//! The tree walk: statements, helper calls and blocks, with the scope each block opens
//! (`#each` iterates its argument's elements, `#with` moves into it, `#if` keeps the context).

use super::linter::{Linter, Scope};
use super::model::Node;
use super::{LintCode, Severity};
use crate::template::ast::{Block, BlockKind, Call, Expr, Mustache, PathExpr, Program, Statement};
use crate::template::{head_name, is_known_helper};

impl Linter<'_> {
    pub(super) fn walk_program(&mut self, program: &Program) {
        for stmt in &program.body {
            match stmt {
                Statement::Content(_) | Statement::Comment(_) => {}
                Statement::Mustache(m) => self.mustache(m),
                Statement::Block(b) => self.block(b),
                Statement::Partial(p) => {
                    let span = self.map_span(p.span.start, p.span.end);
                    self.push(
                        Severity::Error,
                        LintCode::Unsupported,
                        "Partials are not available on Cal.com (none are registered): the render throws `The partial … could not be found` and the webhook is not sent. Inline the text instead.".into(),
                        span,
                        None,
                    );
                }
            }
        }
    }

    pub(super) fn mustache(&mut self, m: &Mustache) {
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
            self.push(severity, LintCode::Unsupported, message.into(), span, None);
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
                LintCode::HelperUsage,
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

    pub(super) fn block_param(&self, name: &str) -> Option<Node> {
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
                        LintCode::HelperUsage,
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
                    LintCode::HelperUsage,
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
                self.push(severity, LintCode::UnknownHelper, msg, span, None);
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

    pub(super) fn block(&mut self, b: &Block) {
        match b.kind {
            BlockKind::Raw => return,
            BlockKind::Decorator => {
                let span = self.map_span(b.span.start, b.span.end);
                self.push(
                    Severity::Error,
                    LintCode::Unsupported,
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
                    LintCode::Unsupported,
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
                        LintCode::HelperUsage,
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
                        LintCode::HelperUsage,
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
                    LintCode::UnknownHelper,
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
}
