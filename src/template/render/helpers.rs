//! The built-in helpers (`if`, `unless`, `with`, `each`, `lookup`, `log`) and
//! `blockHelperMissing`, each in its own function.

use std::rc::Rc;

use super::output::Item;
use super::scope::{lookup_property, Frame, Iteration, Scope};
use super::{render_error, type_error, Renderer, Val, R};
use crate::json::Value;
use crate::template::ast::{Call, PathExpr, Program};
use crate::template::error::{Span, TemplateError};

/// Program bodies for a block helper call; `None` for mustaches and sub-expressions.
#[derive(Clone, Copy)]
pub(super) struct Progs<'t> {
    pub(super) program: Option<&'t Program>,
    pub(super) inverse: Option<&'t Program>,
}

/// A helper result: a value (from mustaches and sub-expressions) or a block's result.
pub(super) enum Out {
    Value(Val),
    Item(Item),
}

pub(super) fn is_truthy(v: &Val) -> bool {
    v.as_ref().is_some_and(Value::is_truthy)
}

#[cold]
#[inline(never)]
pub(super) fn data_call_error(original: &str, span: Span) -> Box<TemplateError> {
    type_error(
        format!(
            "\"{original}\" is data, not a helper, so it cannot be called with arguments; write {{{{{original}}}}} without arguments, or use a built-in helper (if, unless, each, with, lookup)."
        ),
        span,
    )
}

#[cold]
#[inline(never)]
pub(super) fn missing_helper_error(original: &str, span: Span) -> Box<TemplateError> {
    render_error(
        format!(
            "Missing helper: \"{original}\" (Cal.com has only the built-in helpers if, unless, each, with, lookup and log)"
        ),
        span,
    )
}

#[cold]
#[inline(never)]
pub(super) fn arity_error(name: &str, span: Span) -> Box<TemplateError> {
    render_error(format!("#{name} requires exactly one argument"), span)
}

#[cold]
#[inline(never)]
pub(super) fn not_block_error(name: &str, span: Span) -> Box<TemplateError> {
    type_error(
        format!("\"{name}\" is a block helper: write {{{{#{name} …}}}}…{{{{/{name}}}}} (handlebars throws a TypeError here)."),
        span,
    )
}

#[cold]
#[inline(never)]
pub(super) fn hook_error(name: &str, span: Span) -> Box<TemplateError> {
    type_error(
        format!("\"{name}\" is not callable in templates (handlebars: Cannot read properties of undefined (reading 'call'))."),
        span,
    )
}

/// Handlebars' `isEmpty`: falsy except 0, or an empty array.
pub(super) fn is_empty(v: &Val) -> bool {
    match v {
        None => true,
        Some(Value::Number(n)) => n.is_nan(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(x) => !x.is_truthy(),
    }
}

impl<'l> Renderer<'l> {
    /// `this` inside a helper: the context, or `nullContext` when it is null/undefined.
    pub(super) fn helper_this(&self, scope: &Scope<'_>) -> Val {
        match &scope.ctx {
            None | Some(Value::Null) => Some(self.null_ctx.clone()),
            v => v.clone(),
        }
    }

    #[inline(never)]
    pub(super) fn helper<'t>(
        &mut self,
        call: &'t Call,
        path: &PathExpr,
        scope: &Scope<'t>,
        progs: Option<Progs<'t>>,
    ) -> R<Out> {
        // One argument (`#if x`, `#each xs`) is the common case: no allocation for it.
        let mut one: [Val; 1] = [None];
        let mut many = Vec::new();
        let params: &[Val] = if let [p] = call.params.as_slice() {
            one[0] = self.expr(p, scope)?;
            &one
        } else {
            many.reserve(call.params.len());
            for p in &call.params {
                many.push(self.expr(p, scope)?);
            }
            &many
        };
        let mut hash = Vec::with_capacity(call.hash.len());
        for pair in &call.hash {
            hash.push((pair.key.as_str(), self.expr(&pair.value, scope)?));
        }
        let name = path.parts.first().map(String::as_str).unwrap_or("");
        let span = call.span;
        // Each helper has its own function: they recurse into programs, and one big `match`
        // would give every nesting level the stack frame of all of them.
        match name {
            "if" | "unless" => self.helper_if(name == "unless", params, &hash, progs, scope, span),
            "with" => self.helper_with(params, progs, scope, span),
            "each" => self.helper_each(params, progs, scope, span),
            "lookup" => self.helper_lookup(params, progs, span),
            "log" => Ok(Out::Value(None)),
            "helperMissing" | "blockHelperMissing" => Err(hook_error(name, span)),
            _ => self.unknown_helper(path, params.is_empty(), scope, span),
        }
    }

    /// `(helpers.name || nonHelper || helperMissing).call(…)` for a name that is no helper.
    #[inline(never)]
    pub(super) fn unknown_helper(
        &mut self,
        path: &PathExpr,
        no_params: bool,
        scope: &Scope<'_>,
        span: Span,
    ) -> R<Out> {
        let non_helper = self.path(path, scope)?;
        if is_truthy(&non_helper) {
            return Err(data_call_error(&path.original, span));
        }
        if !no_params {
            return Err(missing_helper_error(&path.original, span));
        }
        Ok(Out::Value(None))
    }

    #[inline(never)]
    pub(super) fn helper_if<'t>(
        &mut self,
        unless: bool,
        params: &[Val],
        hash: &[(&str, Val)],
        progs: Option<Progs<'t>>,
        scope: &Scope<'t>,
        span: Span,
    ) -> R<Out> {
        let name = if unless { "unless" } else { "if" };
        if params.len() != 1 {
            return Err(arity_error(name, span));
        }
        let progs = progs.ok_or_else(|| not_block_error(name, span))?;
        let include_zero = hash
            .iter()
            .rev()
            .find(|(k, _)| *k == "includeZero")
            .is_some_and(|(_, v)| is_truthy(v));
        let cond = params.first().cloned().flatten();
        let falsy = (!include_zero && !is_truthy(&cond)) || is_empty(&cond);
        let (yes, no) = if unless {
            (progs.inverse, progs.program)
        } else {
            (progs.program, progs.inverse)
        };
        let this = self.helper_this(scope);
        Ok(Out::Item(self.run(
            if falsy { no } else { yes },
            this,
            scope,
            None,
            None,
        )?))
    }

    #[inline(never)]
    pub(super) fn helper_with<'t>(
        &mut self,
        params: &[Val],
        progs: Option<Progs<'t>>,
        scope: &Scope<'t>,
        span: Span,
    ) -> R<Out> {
        if params.len() != 1 {
            return Err(arity_error("with", span));
        }
        let progs = progs.ok_or_else(|| not_block_error("with", span))?;
        let value = params.first().cloned().flatten();
        let item = if is_empty(&value) {
            let this = self.helper_this(scope);
            self.run(progs.inverse, this, scope, None, None)?
        } else {
            self.run(progs.program, value.clone(), scope, None, Some(vec![value]))?
        };
        Ok(Out::Item(item))
    }

    #[inline(never)]
    pub(super) fn helper_each<'t>(
        &mut self,
        params: &[Val],
        progs: Option<Progs<'t>>,
        scope: &Scope<'t>,
        span: Span,
    ) -> R<Out> {
        if params.is_empty() || (params.len() > 1 && !is_truthy(&params[1])) {
            return Err(render_error("Must pass iterator to #each", span));
        }
        if params.len() > 1 {
            return Err(type_error(
                "#each takes exactly one argument: {{#each list}}…{{/each}}.",
                span,
            ));
        }
        let progs = progs.ok_or_else(|| not_block_error("each", span))?;
        let this = self.helper_this(scope);
        Ok(Out::Item(self.each(
            params.first().cloned().flatten(),
            progs,
            this,
            scope,
            span,
        )?))
    }

    #[inline(never)]
    pub(super) fn helper_lookup(
        &mut self,
        params: &[Val],
        progs: Option<Progs<'_>>,
        span: Span,
    ) -> R<Out> {
        let obj = params.first().cloned().flatten();
        if !params.is_empty() && !is_truthy(&obj) {
            return self.value_out(obj, progs, span);
        }
        if params.len() != 2 {
            return Err(type_error(
                "lookup needs exactly two arguments: {{lookup object key}}.",
                span,
            ));
        }
        let key = match &params[1] {
            None => "undefined".to_string(),
            Some(v) => self.stringify(&Some(v.clone()), span)?,
        };
        let found = obj.as_ref().and_then(|o| lookup_property(o, &key));
        self.value_out(found, progs, span)
    }

    /// A helper that returns a value: mustaches escape it, blocks append it raw.
    pub(super) fn value_out(&mut self, v: Val, progs: Option<Progs<'_>>, span: Span) -> R<Out> {
        if progs.is_none() {
            return Ok(Out::Value(v));
        }
        Ok(Out::Item(self.value_item(&v, span)?))
    }

    /// The `each` helper.
    pub(super) fn each<'t>(
        &mut self,
        value: Val,
        progs: Progs<'t>,
        this: Val,
        scope: &Scope<'t>,
        span: Span,
    ) -> R<Item> {
        let mut count = 0usize;
        let wants_block_params = progs.program.is_some_and(|p| !p.block_params.is_empty());
        let iteration = |me: &mut Self, key: Value, index: usize, last: bool, item: Val| -> R<()> {
            me.step(span)?;
            // `createFrame(options.data)` plus this iteration's `key`/`index`/`first`/`last`.
            let frame = Frame {
                root: scope.data.root.clone(),
                iteration: Some(Iteration {
                    key: key.clone(),
                    index,
                    first: index == 0,
                    last,
                }),
                parent: Some(scope.data.clone()),
                partial_block: scope.data.partial_block.clone(),
            };
            let block_params = wants_block_params.then(|| vec![item.clone(), Some(key)]);
            // `ret = ret + fn(…)` with `ret` starting as "": always text.
            match me.run(
                progs.program,
                item.clone(),
                scope,
                Some(Rc::new(frame)),
                block_params,
            )? {
                Item::Prim(p) => me.write_prim(p, span),
                Item::Str => me.write_str("", span),
            }
        };
        match &value {
            Some(Value::Array(items)) => {
                let len = items.len();
                for (i, item) in items.iter().enumerate() {
                    iteration(
                        self,
                        Value::Number(i as f64),
                        i,
                        i + 1 == len,
                        Some(item.clone()),
                    )?;
                    count += 1;
                }
            }
            Some(Value::Object(obj)) => {
                let len = obj.len();
                for (i, (k, v)) in obj.iter().enumerate() {
                    iteration(self, Value::string(k), i, i + 1 == len, Some(v.clone()))?;
                    count += 1;
                }
            }
            _ => {}
        }
        if count == 0 {
            return self.run(progs.inverse, this, scope, None, None);
        }
        Ok(Item::Str)
    }

    /// `blockHelperMissing`: sections over non-helper values.
    pub(super) fn block_helper_missing<'t>(
        &mut self,
        value: Val,
        progs: Progs<'t>,
        scope: &Scope<'t>,
    ) -> R<Item> {
        match &value {
            Some(Value::Bool(true)) => {
                self.run(progs.program, scope.ctx.clone(), scope, None, None)
            }
            None | Some(Value::Null) | Some(Value::Bool(false)) => {
                self.run(progs.inverse, scope.ctx.clone(), scope, None, None)
            }
            Some(Value::Array(items)) if items.is_empty() => {
                self.run(progs.inverse, scope.ctx.clone(), scope, None, None)
            }
            Some(Value::Array(_)) => {
                let span = progs.program.map(|p| p.span).unwrap_or_default();
                self.each(value.clone(), progs, scope.ctx.clone(), scope, span)
            }
            _ => self.run(progs.program, value, scope, None, None),
        }
    }
}
