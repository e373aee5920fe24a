//! The core walk: programs and their statements, decorators, the helper/property decision
//! (`classifySexpr`), mustaches, blocks and sub-expressions.

use std::rc::Rc;

use super::helpers::{Out, Progs};
use super::output::{Acc, Item, Prim, Slot};
use super::partials::Partials;
use super::scope::{loose_eq, BlockParams, Closure, ClosureRef, Depths, Frame, Scope};
use super::{render_error, Renderer, Val, R};
use crate::json::Value;
use crate::template::ast::{
    head_name, head_path, is_known_helper, simple_id, Block, BlockKind, Call, Expr, LiteralValue,
    Mustache, PathExpr, Program, Statement,
};
use crate::template::error::{Span, TemplateError, TemplateErrorCode};

/// How handlebars' compiler classifies a call (`classifySexpr`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Helper,
    Simple,
    Ambiguous,
}

/// Decorators (`{{* d}}`, `{{#*inline}}`) directly in a program body.
pub(super) fn find_decorator(program: &Program) -> Option<(Span, String)> {
    program.body.iter().find_map(|s| match s {
        Statement::Mustache(m) if m.decorator => {
            let name = head_name(&m.call.head);
            (name != "inline").then_some((m.span, name))
        }
        Statement::Block(b) if b.kind == BlockKind::Decorator => {
            let name = head_name(&b.call.head);
            // `inline` is the one decorator handlebars registers.
            (name != "inline").then_some((b.span, name))
        }
        _ => None,
    })
}

impl<'l> Renderer<'l> {
    /// Decorators run when their program is set up, even if it never renders; Cal.com
    /// registers none, so `{{* d}}` throws `Missing decorator` and inline partials are
    /// not supported here.
    #[inline(never)]
    pub(super) fn check_decorators(&self, program: Option<&Program>) -> R<()> {
        if !program.is_some_and(|p| p.has_decorators) {
            return Ok(());
        }
        let Some((span, name)) = program.and_then(find_decorator) else {
            return Ok(());
        };
        let message = format!("Missing decorator: \"{name}\" (Cal.com registers no decorators).");
        Err(TemplateError::boxed(
            TemplateErrorCode::Unsupported,
            message,
            Some(span),
        ))
    }

    pub(super) fn body<'t>(
        &mut self,
        body: &'t [Statement],
        last_explicit: Option<usize>,
        scope: &Scope<'t>,
    ) -> R<()> {
        for (i, stmt) in body.iter().enumerate() {
            if last_explicit.is_some_and(|l| i > l) {
                if let Some(acc) = self.accs.last_mut() {
                    acc.direct = true;
                }
            }
            match stmt {
                Statement::Content(c) => {
                    self.step(c.span)?;
                    // Empty text compiles to nothing, so it does not break up `a + b`.
                    if !c.value.is_empty() {
                        self.write_str(&c.value, c.span)?;
                        self.append_item(Item::Str, c.span)?;
                    }
                }
                Statement::Comment(_) => {}
                // A decorator ran when its program was set up (`register_inline`); it
                // compiles to nothing in the body.
                Statement::Mustache(m) if m.decorator => self.step(m.span)?,
                Statement::Mustache(m) => {
                    self.step(m.span)?;
                    self.mustache(m, scope)?;
                }
                Statement::Block(b) => {
                    self.step(b.span)?;
                    self.block(b, scope)?;
                }
                Statement::Partial(p) => {
                    self.step(p.span)?;
                    self.partial(p, scope)?;
                }
            }
        }
        Ok(())
    }

    /// A compiled program invoked as `fn(context, {data, blockParams})` (`wrapProgram`).
    pub(super) fn run<'t>(
        &mut self,
        program: Option<&'t Program>,
        ctx: Val,
        outer: &Scope<'t>,
        data: Option<Rc<Frame<'t>>>,
        block_params: Option<Vec<Val>>,
    ) -> R<Item> {
        let Some(program) = program else {
            // `container.noop` returns "".
            return Ok(Item::Str);
        };
        // The wrapper closes over the caller's state: borrowed, not copied.
        let wrapper = ClosureRef {
            program,
            depths: &outer.depths,
            data: &outer.data,
            block_params: &outer.block_params,
        };
        self.invoke_ref(wrapper, ctx, data, block_params, outer.partials.clone())
    }

    #[cold]
    #[inline(never)]
    fn nesting_error(&self, span: Span) -> Box<TemplateError> {
        TemplateError::boxed(
            TemplateErrorCode::Limit,
            format!(
                "Blocks and partials nest more than {} levels deep while rendering.",
                self.limits.max_nesting
            ),
            Some(span),
        )
    }

    /// Call a program wrapper (`prog(context, options)` in `wrapProgram`).
    pub(super) fn invoke<'t>(
        &mut self,
        wrapper: &Closure<'t>,
        ctx: Val,
        data: Option<Rc<Frame<'t>>>,
        block_params: Option<Vec<Val>>,
        partials: Option<Rc<Partials<'t>>>,
    ) -> R<Item> {
        let Some(program) = wrapper.program else {
            return Ok(Item::Str);
        };
        let wrapper = ClosureRef {
            program,
            depths: &wrapper.depths,
            data: &wrapper.data,
            block_params: &wrapper.block_params,
        };
        self.invoke_ref(wrapper, ctx, data, block_params, partials)
    }

    #[inline(never)]
    pub(super) fn invoke_ref<'t>(
        &mut self,
        wrapper: ClosureRef<'_, 't>,
        ctx: Val,
        data: Option<Rc<Frame<'t>>>,
        block_params: Option<Vec<Val>>,
        partials: Option<Rc<Partials<'t>>>,
    ) -> R<Item> {
        let program = wrapper.program;
        // The parser bounds block nesting within the template text, but partials nest blocks
        // inside blocks at run time: bound the recursion itself the same way.
        if self.accs.len() > self.limits.max_nesting {
            return Err(self.nesting_error(program.span));
        }
        let head = &wrapper.depths.value;
        let is_null_ctx = matches!((&ctx, &self.null_ctx), (Some(Value::Object(a)), Value::Object(b)) if Rc::ptr_eq(a, b));
        // `context != depths[0]` (loose), except that `nullContext` never replaces `null`.
        let same = loose_eq(&ctx, head) || (is_null_ctx && matches!(head, Some(Value::Null)));
        let depths = if same {
            wrapper.depths.clone()
        } else {
            Rc::new(Depths {
                value: ctx.clone(),
                next: Some(wrapper.depths.clone()),
            })
        };
        let block_params = if program.block_params.is_empty() {
            wrapper.block_params.clone()
        } else {
            Some(Rc::new(BlockParams {
                names: &program.block_params,
                values: block_params,
                parent: wrapper.block_params.clone(),
            }))
        };
        // Decorators run when the wrapper is made, with the wrapper's own state.
        let partials = self.register_inline(
            program,
            wrapper.depths,
            wrapper.data,
            wrapper.block_params,
            partials,
        )?;
        let scope = Scope {
            ctx,
            depths,
            data: data.unwrap_or_else(|| wrapper.data.clone()),
            block_params,
            partials,
        };
        self.program(program, &scope)
    }

    /// Run a program body with its own expression chain and return what it returns.
    pub(super) fn program<'t>(&mut self, program: &'t Program, scope: &Scope<'t>) -> R<Item> {
        // `isSimple`: a single statement is returned as is, even a `{{#x}}` section.
        let simple = program.body.len() == 1;
        let last_explicit = if simple || !program.maybe_explicit {
            None
        } else {
            program
                .body
                .iter()
                .rposition(|s| self.is_ambiguous_block(s, scope))
        };
        let append_only = last_explicit.is_none();
        self.accs.push(Acc {
            buf: Slot::Empty,
            run: Slot::Empty,
            source_seen: false,
            direct: false,
            simple,
        });
        let result = self.body(&program.body, last_explicit, scope);
        let acc = self.accs.pop().unwrap_or(Acc {
            buf: Slot::Str,
            run: Slot::Str,
            source_seen: true,
            direct: true,
            simple,
        });
        result?;
        if append_only {
            // `return a + b + …;` (or `return "";`)
            return Ok(match acc.run {
                Slot::Prim(p) => Item::Prim(p),
                _ => Item::Str,
            });
        }
        // `return buffer + a + b;`
        Ok(match (acc.buf, acc.run) {
            (Slot::Prim(p), Slot::Prim(q)) => Item::Prim(Prim::Num(p.to_number() + q.to_number())),
            (Slot::Prim(p), Slot::Empty) => Item::Prim(p),
            (Slot::Str | Slot::Empty, Slot::Prim(q)) => {
                self.write_prim(q, program.span)?;
                Item::Str
            }
            _ => Item::Str,
        })
    }

    /// A block compiled as a separate statement: a section on a plain name (`{{#x}}`), whose
    /// result is added to the buffer with `buffer += …` instead of joining the `+` chain.
    pub(super) fn is_ambiguous_block(&self, stmt: &Statement, scope: &Scope<'_>) -> bool {
        match stmt {
            Statement::Block(b) => self.is_ambiguous(b, scope),
            _ => false,
        }
    }

    #[inline(never)]
    pub(super) fn is_ambiguous(&self, b: &Block, scope: &Scope<'_>) -> bool {
        // Arguments make it a helper call, whatever the scope.
        if !b.call.params.is_empty() || !b.call.hash.is_empty() {
            return false;
        }
        matches!(b.kind, BlockKind::Block | BlockKind::Raw)
            && head_path(&b.call.head)
                .is_some_and(|p| self.classify(&p, &b.call, false, scope) == Class::Ambiguous)
    }

    #[inline(never)]
    pub(super) fn expr(&mut self, e: &Expr, scope: &Scope<'_>) -> R<Val> {
        match e {
            Expr::Path(p) => self.path(p, scope),
            Expr::Literal(l) => Ok(match &l.value {
                LiteralValue::String(s) => Some(Value::string(s.as_str())),
                LiteralValue::Number(n) => Some(Value::Number(*n)),
                LiteralValue::Boolean(b) => Some(Value::Bool(*b)),
                LiteralValue::Undefined => None,
                LiteralValue::Null => Some(Value::Null),
            }),
            Expr::SubExpr(call) => match self.call(call, scope, None, true)? {
                Out::Value(v) => Ok(v),
                Out::Item(_) => Ok(None),
            },
        }
    }

    #[inline(never)]
    pub(super) fn mustache(&mut self, m: &Mustache, scope: &Scope<'_>) -> R<()> {
        let value = match &m.call.head {
            // `{{a.b}}`, `{{@index}}`, `{{name}}`: no arguments, so `classify` can only make it
            // a helper call when it is a simple id naming a known helper.
            Expr::Path(p)
                if m.call.params.is_empty()
                    && m.call.hash.is_empty()
                    && !(simple_id(p)
                        && is_known_helper(p.parts.first().map_or("", String::as_str))) =>
            {
                self.path(p, scope)?
            }
            _ => match self.call(&m.call, scope, None, false)? {
                Out::Value(v) => v,
                Out::Item(_) => return Ok(()),
            },
        };
        let item = if m.escaped {
            // `escapeExpression` always returns a string. Numbers, booleans and
            // `[object Object]` contain nothing to escape (an object with an own `toString`
            // key has no text at all: `stringify` gives handlebars' TypeError).
            match &value {
                None | Some(Value::Null) => self.write_str("", m.span)?,
                Some(Value::String(s)) => self.write_escaped(s, m.span)?,
                Some(Value::Number(n)) => self.write_prim(Prim::Num(*n), m.span)?,
                Some(Value::Bool(b)) => self.write_prim(Prim::Bool(*b), m.span)?,
                Some(Value::Object(_)) | Some(Value::Array(_)) => {
                    let text = self.stringify(&value, m.span)?;
                    self.write_escaped(&text, m.span)?;
                }
            }
            Item::Str
        } else {
            self.value_item(&value, m.span)?
        };
        self.append_item(item, m.span)
    }

    /// `classifySexpr`.
    #[inline(never)]
    pub(super) fn classify(
        &self,
        path: &PathExpr,
        call: &Call,
        is_sexpr: bool,
        scope: &Scope<'_>,
    ) -> Class {
        let is_simple = simple_id(path);
        let is_block_param = is_simple
            && scope.block_params.is_some()
            && path
                .parts
                .first()
                .is_some_and(|n| Self::is_block_param(scope, n));
        let has_args = !call.params.is_empty() || !call.hash.is_empty();
        let is_helper = !is_block_param && (is_sexpr || has_args);
        let is_eligible = !is_block_param && (is_helper || is_simple);
        let name = path.parts.first().map(String::as_str).unwrap_or("");
        if is_helper || (is_eligible && is_known_helper(name)) {
            Class::Helper
        } else if is_eligible {
            Class::Ambiguous
        } else {
            Class::Simple
        }
    }

    /// `classifySexpr` + `helperSexpr` / `simpleSexpr` / `ambiguousSexpr`. `progs` is `Some`
    /// for block statements; for those, non-helper values go through `blockHelperMissing`.
    pub(super) fn call<'t>(
        &mut self,
        call: &'t Call,
        scope: &Scope<'t>,
        progs: Option<Progs<'t>>,
        is_sexpr: bool,
    ) -> R<Out> {
        let Some(path) = head_path(&call.head) else {
            return Err(render_error(
                "A sub-expression cannot be a helper name.",
                call.span,
            ));
        };
        if self.classify(&path, call, is_sexpr, scope) == Class::Helper {
            return self.helper(call, &path, scope, progs);
        }
        // `simpleSexpr` / `ambiguousSexpr`: the value at the path (a block param ignores any
        // arguments, as handlebars does).
        let value = self.path(&path, scope)?;
        match progs {
            None => Ok(Out::Value(value)),
            Some(progs) => Ok(Out::Item(self.block_helper_missing(value, progs, scope)?)),
        }
    }

    pub(super) fn block<'t>(&mut self, b: &'t Block, scope: &Scope<'t>) -> R<()> {
        self.check_decorators(b.program.as_ref())?;
        self.check_decorators(b.inverse.as_ref())?;
        let progs = Progs {
            program: b.program.as_ref(),
            inverse: b.inverse.as_ref(),
        };
        match b.kind {
            // `{{#*inline}}` was registered when its program started; it renders nothing.
            BlockKind::Decorator => Ok(()),
            BlockKind::PartialBlock => {
                let item = self.partial_block(b, scope)?;
                self.append_item(item, b.span)
            }
            BlockKind::Block | BlockKind::Raw => {
                let explicit =
                    !self.accs.last().is_some_and(|a| a.simple) && self.is_ambiguous(b, scope);
                if explicit {
                    self.end_run(b.span)?;
                }
                let item = match self.call(&b.call, scope, Some(progs), false)? {
                    Out::Item(item) => item,
                    Out::Value(v) => self.value_item(&v, b.span)?,
                };
                if explicit {
                    self.add_to_buffer(item, b.span)
                } else {
                    self.append_item(item, b.span)
                }
            }
        }
    }
}
