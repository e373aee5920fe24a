//! The renderer: evaluates the tree the way handlebars 4.7.10's compiled JavaScript does.
//!
//! The pieces follow handlebars' compiler and runtime: the helper/property decision
//! (`classifySexpr`), path lookups with own-property protection (`lookupProperty`), the
//! deduplicated `depths` context stack (`wrapProgram`), data frames (`createFrame`), block
//! parameters, the built-in helpers and `blockHelperMissing`. Values are `Option<Value>` where
//! `None` is JavaScript's `undefined`.
//!
//! Recursion follows template nesting (bounded by the parser) and array nesting when values
//! are stringified (bounded by `max_data_depth`).

use std::rc::Rc;

use super::ast::*;
use super::error::{Span, TemplateError, TemplateErrorCode};
use super::escape::escape_into;
use super::Limits;
use crate::json::{format_number, is_array_index, Object, Value};

type Val = Option<Value>;
type R<T> = Result<T, TemplateError>;

/// Helpers handlebars registers by default (`knownHelpers`).
pub(crate) const KNOWN_HELPERS: &[&str] = &[
    "helperMissing",
    "blockHelperMissing",
    "each",
    "if",
    "unless",
    "with",
    "log",
    "lookup",
];

/// Upper bound on statements executed plus iterations, so that nested loops over data with
/// empty bodies cannot run for ever (output-size limits would never trigger).
const MAX_STEPS: u64 = 20_000_000;

/// The `depths` array of compiled handlebars, as a shared linked list (`depths[0]` first).
struct Depths {
    value: Val,
    next: Option<Rc<Depths>>,
}

/// Block parameters declared by one program (`as |a b|`) and the values its helper passed.
struct BlockParams<'t> {
    names: &'t [String],
    /// `None` when the helper passed no `blockParams` (e.g. `#if`): reading one throws.
    values: Option<Vec<Val>>,
    parent: Option<Rc<BlockParams<'t>>>,
}

/// What a program invocation sees.
#[derive(Clone)]
struct Scope<'t> {
    /// `depth0`, the current context.
    ctx: Val,
    depths: Rc<Depths>,
    /// The data frame (`@root`, `@index`, …) as a JS-like object.
    data: Value,
    block_params: Option<Rc<BlockParams<'t>>>,
}

/// Program bodies for a block helper call; `None` for mustaches and sub-expressions.
#[derive(Clone, Copy)]
struct Progs<'t> {
    program: Option<&'t Program>,
    inverse: Option<&'t Program>,
}

/// A helper result: a value to append (escaped for mustaches), or output already written.
enum Out {
    Value(Val),
    Written,
}

pub(crate) struct Renderer<'l> {
    out: String,
    limits: &'l Limits,
    steps: u64,
    /// `container.nullContext`: the `this` helpers receive when the context is null.
    null_ctx: Value,
}

/// Render a whole template.
pub(crate) fn render(program: &Program, data: &Value, limits: &Limits) -> R<String> {
    let mut r = Renderer {
        out: String::new(),
        limits,
        steps: 0,
        null_ctx: Value::object(Object::new()),
    };
    let mut frame = Object::new();
    frame.insert("root", data.clone());
    let scope = Scope {
        ctx: Some(data.clone()),
        depths: Rc::new(Depths {
            value: Some(data.clone()),
            next: None,
        }),
        data: Value::object(frame),
        block_params: None,
    };
    r.check_decorators(Some(program))?;
    r.body(&program.body, &scope)?;
    Ok(r.out)
}

fn render_error(message: impl Into<String>, span: Span) -> TemplateError {
    TemplateError::new(TemplateErrorCode::Render, message, Some(span))
}

fn type_error(message: impl Into<String>, span: Span) -> TemplateError {
    TemplateError::new(
        TemplateErrorCode::Render,
        format!("TypeError: {}", message.into()),
        Some(span),
    )
}

fn is_truthy(v: &Val) -> bool {
    v.as_ref().is_some_and(Value::is_truthy)
}

/// Handlebars' `isEmpty`: falsy except 0, or an empty array.
fn is_empty(v: &Val) -> bool {
    match v {
        None => true,
        Some(Value::Number(n)) => n.is_nan(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(x) => !x.is_truthy(),
    }
}

/// JS `==` between two possibly-undefined values.
fn loose_eq(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (None, None) | (None, Some(Value::Null)) | (Some(Value::Null), None) => true,
        (None, _) | (_, None) => false,
        (Some(x), Some(y)) => x.loose_eq(y),
    }
}

/// `AST.helpers.scopedId`: `/^\.|this\b/` on the original path text.
pub(crate) fn scoped_id(original: &str) -> bool {
    if original.starts_with('.') {
        return true;
    }
    original.match_indices("this").any(|(i, _)| {
        !original[i + 4..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// `AST.helpers.simpleId`.
pub(crate) fn simple_id(p: &PathExpr) -> bool {
    p.parts.len() == 1 && !scoped_id(&p.original) && p.depth == 0
}

/// `transformLiteralToPath`: a literal used as a helper name reads the property of that name.
pub(crate) fn head_path(head: &Expr) -> Option<std::borrow::Cow<'_, PathExpr>> {
    use std::borrow::Cow;
    match head {
        Expr::Path(p) => Some(Cow::Borrowed(p)),
        Expr::Literal(l) => {
            let text = match &l.value {
                LiteralValue::String(s) => s.clone(),
                LiteralValue::Number(n) => format_number(*n),
                LiteralValue::Boolean(b) => b.to_string(),
                LiteralValue::Undefined => "undefined".to_string(),
                LiteralValue::Null => "null".to_string(),
            };
            Some(Cow::Owned(PathExpr {
                data: false,
                depth: 0,
                parts: vec![text.clone()],
                original: text,
                span: l.span,
            }))
        }
        Expr::SubExpr(_) => None,
    }
}

/// UTF-16 length of a string.
fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// `lookupProperty(parent, name)` for JSON values: own properties only.
fn lookup_property(parent: &Value, name: &str) -> Val {
    match parent {
        Value::Object(o) => o.get(name).cloned(),
        Value::Array(a) => {
            if name == "length" {
                return Some(Value::Number(a.len() as f64));
            }
            if !is_array_index(name) {
                return None;
            }
            name.parse::<usize>().ok().and_then(|i| a.get(i)).cloned()
        }
        Value::String(s) => {
            if name == "length" {
                return Some(Value::Number(utf16_len(s) as f64));
            }
            if !is_array_index(name) {
                return None;
            }
            let i = name.parse::<usize>().ok()?;
            let unit = s.encode_utf16().nth(i)?;
            // A lone surrogate half cannot be a Rust string: it becomes U+FFFD.
            let text = char::decode_utf16([unit]).next()?.unwrap_or('\u{fffd}');
            Some(Value::string(text.to_string()))
        }
        _ => None,
    }
}

/// Decorators (`{{* d}}`, `{{#*inline}}`) directly in a program body.
fn find_decorator(program: &Program) -> Option<(Span, String)> {
    program.body.iter().find_map(|s| match s {
        Statement::Mustache(m) if m.decorator => Some((m.span, head_name(&m.call.head))),
        Statement::Block(b) if b.kind == BlockKind::Decorator => {
            Some((b.span, head_name(&b.call.head)))
        }
        _ => None,
    })
}

fn head_name(head: &Expr) -> String {
    head_path(head)
        .map(|p| p.original.clone())
        .unwrap_or_default()
}

impl<'l> Renderer<'l> {
    fn step(&mut self, span: Span) -> R<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(TemplateError::new(
                TemplateErrorCode::Limit,
                format!(
                    "Rendering took more than {MAX_STEPS} steps (nested loops over large data?)."
                ),
                Some(span),
            ));
        }
        Ok(())
    }

    fn push(&mut self, s: &str, span: Span) -> R<()> {
        if self.out.len() + s.len() > self.limits.max_output_bytes {
            return Err(self.output_limit(span));
        }
        self.out.push_str(s);
        Ok(())
    }

    fn push_escaped(&mut self, s: &str, span: Span) -> R<()> {
        // Escaping at most sextuples the length; check the exact size only when close.
        if self.out.len() + s.len() * 6 > self.limits.max_output_bytes {
            let escaped = super::escape::escape_html(s);
            return self.push(&escaped, span);
        }
        escape_into(&mut self.out, s);
        Ok(())
    }

    fn output_limit(&self, span: Span) -> TemplateError {
        TemplateError::new(
            TemplateErrorCode::Limit,
            format!(
                "The rendered output exceeds {} bytes.",
                self.limits.max_output_bytes
            ),
            Some(span),
        )
    }

    /// Decorators run when their program is set up, even if it never renders; Cal.com
    /// registers none, so `{{* d}}` throws `Missing decorator` and inline partials are
    /// not supported here.
    fn check_decorators(&self, program: Option<&Program>) -> R<()> {
        let Some((span, name)) = program.and_then(find_decorator) else {
            return Ok(());
        };
        let message = if name == "inline" {
            "Inline partials ({{#*inline}}) are not supported: Cal.com templates cannot use partials.".to_string()
        } else {
            format!("Missing decorator: \"{name}\" (Cal.com registers no decorators).")
        };
        Err(TemplateError::new(
            TemplateErrorCode::Unsupported,
            message,
            Some(span),
        ))
    }

    fn body<'t>(&mut self, body: &'t [Statement], scope: &Scope<'t>) -> R<()> {
        for stmt in body {
            match stmt {
                Statement::Content(c) => {
                    self.step(c.span)?;
                    self.push(&c.value, c.span)?;
                }
                Statement::Comment(_) => {}
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
    fn run<'t>(
        &mut self,
        program: Option<&'t Program>,
        ctx: Val,
        outer: &Scope<'t>,
        data: Option<Value>,
        block_params: Option<Vec<Val>>,
    ) -> R<()> {
        let Some(program) = program else {
            return Ok(()); // `container.noop`
        };
        let head = &outer.depths.value;
        let is_null_ctx = matches!((&ctx, &self.null_ctx), (Some(Value::Object(a)), Value::Object(b)) if Rc::ptr_eq(a, b));
        let depths = if !loose_eq(&ctx, head) && !(is_null_ctx && matches!(head, Some(Value::Null)))
        {
            Rc::new(Depths {
                value: ctx.clone(),
                next: Some(outer.depths.clone()),
            })
        } else {
            outer.depths.clone()
        };
        let block_params = if program.block_params.is_empty() {
            outer.block_params.clone()
        } else {
            Some(Rc::new(BlockParams {
                names: &program.block_params,
                values: block_params,
                parent: outer.block_params.clone(),
            }))
        };
        let scope = Scope {
            ctx,
            depths,
            data: data.unwrap_or_else(|| outer.data.clone()),
            block_params,
        };
        self.body(&program.body, &scope)
    }

    /// `this` inside a helper: the context, or `nullContext` when it is null/undefined.
    fn helper_this(&self, scope: &Scope<'_>) -> Val {
        match &scope.ctx {
            None | Some(Value::Null) => Some(self.null_ctx.clone()),
            v => v.clone(),
        }
    }

    /// `depth0` or `depths[n]`.
    fn context_at(scope: &Scope<'_>, depth: usize) -> Val {
        if depth == 0 {
            return scope.ctx.clone();
        }
        let mut node = Some(&scope.depths);
        for _ in 0..depth {
            node = node.and_then(|n| n.next.as_ref());
        }
        node.and_then(|n| n.value.clone())
    }

    /// A block parameter by name: `Ok(None)` when no enclosing program declares it.
    fn block_param(scope: &Scope<'_>, name: &str, span: Span) -> R<Option<Val>> {
        let mut frame = scope.block_params.as_ref();
        while let Some(f) = frame {
            if let Some(idx) = f.names.iter().position(|n| n == name) {
                return match &f.values {
                    Some(values) => Ok(Some(values.get(idx).cloned().flatten())),
                    None => Err(type_error(
                        format!(
                            "Block parameter \"{name}\" has no value: only #each, #with and sections over arrays provide block parameters (handlebars: Cannot read properties of undefined)."
                        ),
                        span,
                    )),
                };
            }
            frame = f.parent.as_ref();
        }
        Ok(None)
    }

    fn is_block_param(scope: &Scope<'_>, name: &str) -> bool {
        let mut frame = scope.block_params.as_ref();
        while let Some(f) = frame {
            if f.names.iter().any(|n| n == name) {
                return true;
            }
            frame = f.parent.as_ref();
        }
        false
    }

    /// Evaluate a path (`PathExpression` in handlebars' compiler).
    fn path(&self, p: &PathExpr, scope: &Scope<'_>) -> R<Val> {
        let first = p.parts.first();
        if p.depth == 0 && !scoped_id(&p.original) {
            if let Some(name) = first {
                if let Some(v) = Self::block_param(scope, name, p.span)? {
                    return Ok(resolve_not_null(v, &p.parts[1..]));
                }
            }
        }
        let Some(name) = first.filter(|n| !n.is_empty()) else {
            // `{{this}}`, `{{.}}`, `{{..}}`, `{{[]}}`: the context itself.
            return Ok(Self::context_at(scope, p.depth));
        };
        let _ = name;
        if p.data {
            // `container.data(data, depth)`, then `&&`-chained lookups.
            let mut frame = Some(scope.data.clone());
            for _ in 0..p.depth {
                frame = match frame {
                    Some(f) if f.is_truthy() => lookup_property(&f, "_parent"),
                    other => other,
                };
            }
            let mut cur = frame;
            for part in &p.parts {
                cur = match cur {
                    Some(v) if v.is_truthy() => lookup_property(&v, part),
                    falsy => falsy,
                };
            }
            return Ok(cur);
        }
        Ok(resolve_not_null(Self::context_at(scope, p.depth), &p.parts))
    }

    fn expr(&mut self, e: &Expr, scope: &Scope<'_>) -> R<Val> {
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
                Out::Written => Ok(None),
            },
        }
    }

    fn mustache(&mut self, m: &Mustache, scope: &Scope<'_>) -> R<()> {
        let value = match self.call(&m.call, scope, None, false)? {
            Out::Value(v) => v,
            Out::Written => return Ok(()),
        };
        let text = self.stringify(&value, m.span)?;
        if m.escaped {
            self.push_escaped(&text, m.span)
        } else {
            self.push(&text, m.span)
        }
    }

    /// `classifySexpr` + `helperSexpr` / `simpleSexpr` / `ambiguousSexpr`. `progs` is `Some`
    /// for block statements; for those, non-helper values go through `blockHelperMissing`.
    fn call<'t>(
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
        let is_simple = simple_id(&path);
        let is_block_param = is_simple
            && path
                .parts
                .first()
                .is_some_and(|n| Self::is_block_param(scope, n));
        let has_args = !call.params.is_empty() || !call.hash.is_empty();
        let mut is_helper = !is_block_param && (is_sexpr || has_args);
        let is_eligible = !is_block_param && (is_helper || is_simple);
        let name = path.parts.first().map(String::as_str).unwrap_or("");
        if is_eligible && !is_helper && KNOWN_HELPERS.contains(&name) {
            is_helper = true;
        }
        if is_helper {
            return self.helper(call, &path, scope, progs);
        }
        // `simpleSexpr` / `ambiguousSexpr`: the value at the path (a block param ignores any
        // arguments, as handlebars does).
        let value = self.path(&path, scope)?;
        match progs {
            None => Ok(Out::Value(value)),
            Some(progs) => {
                self.block_helper_missing(value, progs, scope)?;
                Ok(Out::Written)
            }
        }
    }

    fn helper<'t>(
        &mut self,
        call: &'t Call,
        path: &PathExpr,
        scope: &Scope<'t>,
        progs: Option<Progs<'t>>,
    ) -> R<Out> {
        let mut params = Vec::with_capacity(call.params.len());
        for p in &call.params {
            params.push(self.expr(p, scope)?);
        }
        let mut hash = Vec::with_capacity(call.hash.len());
        for pair in &call.hash {
            hash.push((pair.key.as_str(), self.expr(&pair.value, scope)?));
        }
        let name = path.parts.first().map(String::as_str).unwrap_or("");
        if KNOWN_HELPERS.contains(&name) {
            return self.known_helper(name, params, &hash, progs, scope, call.span);
        }
        // `(helpers.name || nonHelper || helperMissing).call(…)`
        let non_helper = self.path(path, scope)?;
        if is_truthy(&non_helper) {
            return Err(type_error(
                format!(
                    "\"{}\" is data, not a helper, so it cannot be called with arguments; write {{{{{}}}}} without arguments, or use a built-in helper (if, unless, each, with, lookup).",
                    path.original, path.original
                ),
                call.span,
            ));
        }
        if !params.is_empty() {
            return Err(render_error(
                format!("Missing helper: \"{}\"", path.original),
                call.span,
            ));
        }
        Ok(Out::Value(None))
    }

    fn known_helper<'t>(
        &mut self,
        name: &str,
        params: Vec<Val>,
        hash: &[(&str, Val)],
        progs: Option<Progs<'t>>,
        scope: &Scope<'t>,
        span: Span,
    ) -> R<Out> {
        let not_block = || {
            type_error(
                format!("\"{name}\" is a block helper: write {{{{#{name} …}}}}…{{{{/{name}}}}} (handlebars throws a TypeError here)."),
                span,
            )
        };
        match name {
            "if" | "unless" => {
                if params.len() != 1 {
                    return Err(render_error(format!("#{name} requires exactly one argument"), span));
                }
                let progs = progs.ok_or_else(not_block)?;
                let include_zero = hash.iter().rev().find(|(k, _)| *k == "includeZero").is_some_and(|(_, v)| is_truthy(v));
                let cond = params.first().cloned().flatten();
                let cond = Some(cond).flatten();
                let falsy = (!include_zero && !is_truthy(&cond)) || is_empty(&cond);
                let (yes, no) = if name == "if" { (progs.program, progs.inverse) } else { (progs.inverse, progs.program) };
                let this = self.helper_this(scope);
                self.run(if falsy { no } else { yes }, this, scope, None, None)?;
                Ok(Out::Written)
            }
            "with" => {
                if params.len() != 1 {
                    return Err(render_error("#with requires exactly one argument", span));
                }
                let progs = progs.ok_or_else(not_block)?;
                let value = params.into_iter().next().flatten();
                if is_empty(&value) {
                    let this = self.helper_this(scope);
                    self.run(progs.inverse, this, scope, None, None)?;
                } else {
                    self.run(progs.program, value.clone(), scope, None, Some(vec![value]))?;
                }
                Ok(Out::Written)
            }
            "each" => {
                if params.is_empty() || (params.len() > 1 && !is_truthy(&params[1])) {
                    return Err(render_error("Must pass iterator to #each", span));
                }
                if params.len() > 1 {
                    return Err(type_error("#each takes exactly one argument: {{#each list}}…{{/each}}.", span));
                }
                let progs = progs.ok_or_else(not_block)?;
                let this = self.helper_this(scope);
                self.each(params.into_iter().next().flatten(), progs, this, scope, span)?;
                Ok(Out::Written)
            }
            "lookup" => {
                let obj = params.first().cloned().flatten();
                if !params.is_empty() && !is_truthy(&obj) {
                    return self.value_out(obj, progs, span);
                }
                if params.len() != 2 {
                    return Err(type_error("lookup needs exactly two arguments: {{lookup object key}}.", span));
                }
                let key = match &params[1] {
                    None => "undefined".to_string(),
                    Some(v) => self.stringify(&Some(v.clone()), span)?,
                };
                let found = obj.as_ref().and_then(|o| lookup_property(o, &key));
                self.value_out(found, progs, span)
            }
            "log" => Ok(Out::Value(None)),
            _ => Err(type_error(
                format!("\"{name}\" is not callable in templates (handlebars: Cannot read properties of undefined (reading 'call'))."),
                span,
            )),
        }
    }

    /// A helper that returns a value: mustaches escape it, blocks append it raw.
    fn value_out(&mut self, v: Val, progs: Option<Progs<'_>>, span: Span) -> R<Out> {
        if progs.is_none() {
            return Ok(Out::Value(v));
        }
        let text = self.stringify(&v, span)?;
        self.push(&text, span)?;
        Ok(Out::Written)
    }

    /// The `each` helper.
    fn each<'t>(
        &mut self,
        value: Val,
        progs: Progs<'t>,
        this: Val,
        scope: &Scope<'t>,
        span: Span,
    ) -> R<()> {
        let mut count = 0usize;
        // `createFrame(options.data)`: a copy of the parent frame plus `_parent`.
        let mut base = scope.data.as_object().cloned().unwrap_or_default();
        base.insert("_parent", scope.data.clone());
        let iteration = |me: &mut Self, key: Value, index: usize, last: bool, item: Val| -> R<()> {
            me.step(span)?;
            let mut frame = base.clone();
            frame.insert("key", key.clone());
            frame.insert("index", Value::Number(index as f64));
            frame.insert("first", Value::Bool(index == 0));
            frame.insert("last", Value::Bool(last));
            me.run(
                progs.program,
                item.clone(),
                scope,
                Some(Value::object(frame)),
                Some(vec![item, Some(key)]),
            )
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
            self.run(progs.inverse, this, scope, None, None)?;
        }
        Ok(())
    }

    /// `blockHelperMissing`: sections over non-helper values.
    fn block_helper_missing<'t>(
        &mut self,
        value: Val,
        progs: Progs<'t>,
        scope: &Scope<'t>,
    ) -> R<()> {
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

    fn block<'t>(&mut self, b: &'t Block, scope: &Scope<'t>) -> R<()> {
        self.check_decorators(b.program.as_ref())?;
        self.check_decorators(b.inverse.as_ref())?;
        let progs = Progs {
            program: b.program.as_ref(),
            inverse: b.inverse.as_ref(),
        };
        match b.kind {
            BlockKind::Decorator => self.check_decorators(None),
            BlockKind::PartialBlock => self.partial_block(b, scope),
            BlockKind::Block | BlockKind::Raw => {
                match self.call(&b.call, scope, Some(progs), false)? {
                    Out::Written => Ok(()),
                    Out::Value(v) => {
                        let text = self.stringify(&v, b.span)?;
                        self.push(&text, b.span)
                    }
                }
            }
        }
    }

    /// `{{#> p}}fallback{{/p}}`: no partial `p` exists, so the fallback renders with the
    /// partial's context (the argument, or the current context, extended with the hash).
    fn partial_block<'t>(&mut self, b: &'t Block, scope: &Scope<'t>) -> R<()> {
        if let Expr::SubExpr(_) = b.call.head {
            self.expr(&b.call.head, scope)?;
        }
        let mut ctx = match b.call.params.first() {
            Some(p) => self.expr(p, scope)?,
            None => scope.ctx.clone(),
        };
        if !b.call.hash.is_empty() {
            let mut obj = own_enumerable(&ctx);
            for pair in &b.call.hash {
                let v = self.expr(&pair.value, scope)?;
                obj.insert(pair.key.as_str(), v.unwrap_or(Value::Null));
            }
            ctx = Some(Value::object(obj));
        }
        self.run(b.program.as_ref(), ctx, scope, None, None)
    }

    fn partial(&mut self, p: &Partial, scope: &Scope<'_>) -> R<()> {
        let name = match &p.name {
            Expr::SubExpr(_) => {
                let v = self.expr(&p.name, scope)?;
                self.stringify(&v, p.span)?
            }
            other => head_name(other),
        };
        for param in &p.params {
            self.expr(param, scope)?;
        }
        Err(TemplateError::new(
            TemplateErrorCode::Unsupported,
            format!("The partial {name} could not be found (Cal.com registers no partials; inline the text instead)."),
            Some(p.span),
        ))
    }

    /// JS `String(value)` with `null`/`undefined` as `""` (what `append` and
    /// `escapeExpression` produce), arrays joined recursively up to `max_data_depth`.
    fn stringify(&self, v: &Val, span: Span) -> R<String> {
        let mut out = String::new();
        match v {
            None | Some(Value::Null) => {}
            Some(v) => self.write_js_string(v, &mut out, 0, span)?,
        }
        Ok(out)
    }

    fn write_js_string(&self, v: &Value, out: &mut String, depth: usize, span: Span) -> R<()> {
        match v {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(&format_number(*n)),
            Value::String(s) => out.push_str(s),
            Value::Object(_) => out.push_str("[object Object]"),
            Value::Array(items) => {
                if depth >= self.limits.max_data_depth {
                    return Err(TemplateError::new(
                        TemplateErrorCode::Limit,
                        format!(
                            "An array nested more than {} levels deep was rendered.",
                            self.limits.max_data_depth
                        ),
                        Some(span),
                    ));
                }
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !item.is_null() {
                        self.write_js_string(item, out, depth + 1, span)?;
                    }
                    if out.len() > self.limits.max_output_bytes {
                        return Err(self.output_limit(span));
                    }
                }
            }
        }
        Ok(())
    }
}

/// `cur != null ? lookupProperty(cur, part) : cur` along the parts.
fn resolve_not_null(start: Val, parts: &[String]) -> Val {
    let mut cur = start;
    for part in parts {
        cur = match cur {
            None | Some(Value::Null) => cur,
            Some(v) => lookup_property(&v, part),
        };
    }
    cur
}

/// `extend({}, value)`: own enumerable properties as an object.
fn own_enumerable(v: &Val) -> Object {
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
