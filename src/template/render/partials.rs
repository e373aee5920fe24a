//! Partials: inline partials registered by the `inline` decorator, `{{> name}}`,
//! `{{#> name}}fallback{{/name}}` and `@partial-block`.

use std::rc::Rc;

use super::output::Item;
use super::scope::{resolve_not_null, BlockParams, Closure, Depths, Frame, Scope};
use super::{type_error, Renderer, Val, R};
use crate::json::{Object, Value};
use crate::template::ast::{
    head_name, Block, BlockKind, Expr, HashPair, Partial, Program, Statement,
};
use crate::template::error::{Span, TemplateError, TemplateErrorCode};

/// `data['partial-block']`: the fallback of a `{{#> p}}…{{/p}}` being rendered, and the one
/// that was current before it.
pub(super) struct PartialBlock<'t> {
    pub(super) fallback: Closure<'t>,
    pub(super) outer: Option<Rc<PartialBlock<'t>>>,
}

/// Inline partials (`{{#*inline "name"}}`), innermost registration first. A `None` closure is
/// the block-less `{{*inline "name"}}`, which sets `partials[name]` to `undefined`: the name
/// is then not found, even if an outer program defined it.
pub(super) struct Partials<'t> {
    pub(super) name: String,
    pub(super) closure: Option<Rc<Closure<'t>>>,
    pub(super) parent: Option<Rc<Partials<'t>>>,
}

/// `extend({}, value)`: own enumerable properties as an object.
pub(super) fn own_enumerable(v: &Val) -> Object {
    match v {
        Some(Value::Object(o)) => (**o).clone(),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, x)| (i.to_string(), x.clone()))
            .collect(),
        Some(Value::String(s)) => s
            .encode_utf16()
            .enumerate()
            .map(|(i, u)| {
                let c = char::decode_utf16([u])
                    .next()
                    .and_then(Result::ok)
                    .unwrap_or('\u{fffd}');
                (i.to_string(), Value::string(c.to_string()))
            })
            .collect(),
        _ => Object::new(),
    }
}

impl<'l> Renderer<'l> {
    /// The `inline` decorator: `{{#*inline "name"}}…{{/inline}}` in `program` makes a partial
    /// visible while `program` runs. The partial's wrapper keeps the defining state.
    #[inline(never)]
    pub(super) fn register_inline<'t>(
        &mut self,
        program: &'t Program,
        depths: &Rc<Depths>,
        data: &Rc<Frame<'t>>,
        block_params: &Option<Rc<BlockParams<'t>>>,
        mut partials: Option<Rc<Partials<'t>>>,
    ) -> R<Option<Rc<Partials<'t>>>> {
        if !program.has_decorators {
            return Ok(partials);
        }
        for stmt in &program.body {
            // `{{#*inline "p"}}…{{/inline}}` defines `p`; a block-less `{{*inline "p"}}` runs
            // the same decorator without a program: handlebars' `Decorator` compiles as a
            // `DecoratorBlock` with no program, so `options.fn` is undefined and
            // `props.partials[options.args[0]] = options.fn` (decorators/inline.js) leaves
            // the name undefined for the rest of this program.
            let (call, inner) = match stmt {
                Statement::Block(b) if b.kind == BlockKind::Decorator => (&b.call, Some(b)),
                Statement::Mustache(m) if m.decorator => (&m.call, None),
                _ => continue,
            };
            if head_name(&call.head) != "inline" {
                continue;
            }
            let name = match call.params.first() {
                Some(Expr::Path(p)) => {
                    let v = resolve_not_null(depths.value.clone(), &p.parts);
                    self.stringify(&v, p.span)?
                }
                // handlebars 4.7.10 compiles a decorator's sub-expression argument to code
                // that reads an undeclared `helpers`.
                Some(Expr::SubExpr(sub)) => {
                    return Err(TemplateError::boxed(
                        TemplateErrorCode::Render,
                        "ReferenceError: helpers is not defined (handlebars 4.7.10 cannot run a sub-expression argument of a decorator).".into(),
                        Some(sub.span),
                    ))
                }
                Some(other) => head_name(other),
                None => "undefined".to_string(),
            };
            let closure = match inner {
                Some(b) => {
                    // Decorators inside the partial's body run when its wrapper is made: now.
                    self.check_decorators(b.program.as_ref())?;
                    Some(Rc::new(Closure {
                        program: b.program.as_ref(),
                        depths: depths.clone(),
                        data: data.clone(),
                        block_params: block_params.clone(),
                    }))
                }
                None => None,
            };
            partials = Some(Rc::new(Partials {
                name,
                closure,
                parent: partials,
            }));
        }
        Ok(partials)
    }

    /// The context a partial gets: its argument or the current context, extended with the hash
    /// (`invokePartialWrapper`).
    pub(super) fn partial_context(
        &mut self,
        params: &[Expr],
        hash: &[HashPair],
        scope: &Scope<'_>,
    ) -> R<Val> {
        let mut ctx = match params.first() {
            Some(p) => self.expr(p, scope)?,
            None => scope.ctx.clone(),
        };
        if !hash.is_empty() {
            let mut obj = own_enumerable(&ctx);
            for pair in hash {
                let v = self.expr(&pair.value, scope)?;
                obj.insert(pair.key.as_str(), v.unwrap_or(Value::Null));
            }
            ctx = Some(Value::object(obj));
        }
        Ok(ctx)
    }

    /// A partial's name: the path or literal as written, or a sub-expression's value.
    pub(super) fn partial_name(&mut self, name: &Expr, scope: &Scope<'_>, span: Span) -> R<String> {
        match name {
            Expr::SubExpr(_) => {
                let v = self.expr(name, scope)?;
                self.stringify(&v, span)
            }
            other => Ok(head_name(other)),
        }
    }

    pub(super) fn find_partial<'t>(scope: &Scope<'t>, name: &str) -> Option<Rc<Closure<'t>>> {
        let mut p = scope.partials.as_ref();
        while let Some(entry) = p {
            if entry.name == name {
                return entry.closure.clone();
            }
            p = entry.parent.as_ref();
        }
        None
    }

    pub(super) fn enter_partial(&mut self, span: Span) -> R<()> {
        self.partial_depth += 1;
        if self.partial_depth > self.limits.max_nesting {
            return Err(self.partial_depth_error(span));
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn partial_depth_error(&self, span: Span) -> Box<TemplateError> {
        TemplateError::boxed(
            TemplateErrorCode::Limit,
            format!(
                "Partials are nested more than {} levels deep (does a partial call itself?).",
                self.limits.max_nesting
            ),
            Some(span),
        )
    }

    /// `{{#> p}}fallback{{/p}}`: renders the inline partial `p` with `@partial-block` set to the
    /// fallback, or the fallback itself when there is no such partial.
    #[inline(never)]
    pub(super) fn partial_block<'t>(&mut self, b: &'t Block, scope: &Scope<'t>) -> R<Item> {
        let name = self.partial_name(&b.call.head, scope, b.span)?;
        let ctx = self.partial_context(&b.call.params, &b.call.hash, scope)?;
        let partial = Self::find_partial(scope, &name);
        let block = Rc::new(PartialBlock {
            fallback: Closure {
                program: b.program.as_ref(),
                depths: scope.depths.clone(),
                data: scope.data.clone(),
                block_params: scope.block_params.clone(),
            },
            outer: scope.data.partial_block.clone(),
        });
        let data = Frame::child(&scope.data, Some(block.clone()));
        self.enter_partial(b.span)?;
        let item = match partial {
            Some(closure) => self.invoke(&closure, ctx, Some(data), None, scope.partials.clone()),
            None => self.invoke_partial_block(&block, ctx, &data, scope),
        };
        self.partial_depth -= 1;
        item
    }

    /// `partialBlockWrapper`: the fallback renders with the partial block that was current
    /// around it.
    pub(super) fn invoke_partial_block<'t>(
        &mut self,
        block: &Rc<PartialBlock<'t>>,
        ctx: Val,
        data: &Rc<Frame<'t>>,
        scope: &Scope<'t>,
    ) -> R<Item> {
        let data = Frame::child(data, block.outer.clone());
        self.invoke(
            &block.fallback,
            ctx,
            Some(data),
            None,
            scope.partials.clone(),
        )
    }

    /// `{{> name}}`: an inline partial, or `@partial-block`.
    #[inline(never)]
    pub(super) fn partial<'t>(&mut self, p: &'t Partial, scope: &Scope<'t>) -> R<()> {
        let name = self.partial_name(&p.name, scope, p.span)?;
        let ctx = self.partial_context(&p.params, &p.hash, scope)?;
        let block = if name == "@partial-block" {
            scope.data.partial_block.clone()
        } else {
            None
        };
        let partial = if block.is_some() {
            None
        } else {
            Self::find_partial(scope, &name)
        };
        if block.is_none() && partial.is_none() {
            return Err(missing_partial_error(&name, p.span));
        }
        // An indented partial's text is rewritten as a whole, so pending values of the
        // enclosing expression are written first (its result must be text: handlebars calls
        // `result.split`).
        if p.indent.is_some() {
            self.write_str("", p.span)?;
        }
        let start = self.out.len();
        self.enter_partial(p.span)?;
        let item = match (&block, &partial) {
            (Some(block), _) => self.invoke_partial_block(block, ctx, &scope.data, scope),
            // `options.data` is the caller's data.
            (None, Some(closure)) => self.invoke(
                closure,
                ctx,
                Some(scope.data.clone()),
                None,
                scope.partials.clone(),
            ),
            (None, None) => Ok(Item::Str),
        };
        self.partial_depth -= 1;
        let item = item?;
        if let Some(indent) = &p.indent {
            if let Item::Prim(_) = item {
                return Err(type_error("result.split is not a function (an indented partial returned a number or boolean)", p.span));
            }
            self.indent_since(start, indent, p.span)?;
        }
        self.append_item(item, p.span)
    }

    /// Prefix every line written since `start` with `indent`, except an empty last line.
    pub(super) fn indent_since(&mut self, start: usize, indent: &str, span: Span) -> R<()> {
        let written = self.out.split_off(start.min(self.out.len()));
        let lines: Vec<&str> = written.split('\n').collect();
        let mut text = String::with_capacity(written.len());
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            if !(line.is_empty() && i + 1 == lines.len()) {
                text.push_str(indent);
            }
            text.push_str(line);
        }
        self.push_raw(&text, span)
    }
}

#[cold]
#[inline(never)]
fn missing_partial_error(name: &str, span: Span) -> Box<TemplateError> {
    TemplateError::boxed(
        TemplateErrorCode::Render,
        format!(
            "The partial {name} could not be found (Cal.com registers no partials: define it with {{{{#*inline \"{name}\"}}}}…{{{{/inline}}}} or write the text in place)."
        ),
        Some(span),
    )
}
