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

//! The concerns live in their own files:
//! - [`walk`]: the core walk over programs and statements (`wrapProgram`, `classifySexpr`,
//!   mustaches, blocks, sub-expressions);
//! - [`output`]: the output text and the emulation of JavaScript `+` between results;
//! - [`scope`]: the context stack (`depths`), data frames, block parameters and path lookups;
//! - [`helpers`]: the built-in helpers and `blockHelperMissing`;
//! - [`partials`]: inline partials, `{{> p}}` and `{{#> p}}…{{/p}}`.

mod helpers;
mod output;
mod partials;
mod scope;
mod walk;

use std::rc::Rc;

use super::ast::Program;
use super::error::{Span, TemplateError, TemplateErrorCode};
use super::Limits;
use crate::json::{Object, Value};
use output::{Acc, Item};
use scope::{Depths, Frame, Scope};

/// A value as handlebars' runtime sees it: `None` is JavaScript's `undefined`.
type Val = Option<Value>;
type R<T> = Result<T, Box<TemplateError>>;

/// Upper bound on statements executed plus iterations, so that nested loops over data with
/// empty bodies cannot run for ever (output-size limits would never trigger).
pub(crate) const MAX_STEPS: u64 = 2_000_000;

/// The state of one render: the output so far and the running programs' `+` chains.
pub(crate) struct Renderer<'l> {
    out: String,
    /// One entry per running program, innermost last.
    accs: Vec<Acc>,
    limits: &'l Limits,
    steps: u64,
    /// Partials being rendered inside each other (a partial may call itself).
    partial_depth: usize,
    /// `container.nullContext`: the `this` helpers receive when the context is null.
    null_ctx: Value,
    /// Some slot in `accs` may hold a number or boolean not yet written (when false,
    /// `flush_pending` has nothing to do).
    pending: bool,
}

/// Render a whole template.
pub(crate) fn render(program: &Program, data: &Value, limits: &Limits) -> R<String> {
    let mut r = Renderer {
        out: String::new(),
        accs: Vec::new(),
        limits,
        steps: 0,
        partial_depth: 0,
        null_ctx: Value::object(Object::new()),
        pending: false,
    };
    let frame = Frame {
        root: data.clone(),
        iteration: None,
        parent: None,
        partial_block: None,
    };
    let scope = Scope {
        ctx: Some(data.clone()),
        depths: Rc::new(Depths {
            value: Some(data.clone()),
            next: None,
        }),
        data: Rc::new(frame),
        block_params: None,
        partials: None,
    };
    r.check_decorators(Some(program))?;
    // The main program's decorators run with empty `depths`.
    let no_depths = Rc::new(Depths {
        value: None,
        next: None,
    });
    let partials = r.register_inline(program, &no_depths, &scope.data, &None, None)?;
    let scope = Scope { partials, ..scope };
    // `'' + templateSpec.main(…)`
    if let Item::Prim(p) = r.program(program, &scope)? {
        r.write_prim(p, program.span)?;
    }
    Ok(r.out)
}

#[cold]
#[inline(never)]
fn render_error(message: impl Into<String>, span: Span) -> Box<TemplateError> {
    TemplateError::boxed(TemplateErrorCode::Render, message.into(), Some(span))
}

#[cold]
#[inline(never)]
fn type_error(message: impl Into<String>, span: Span) -> Box<TemplateError> {
    TemplateError::boxed(
        TemplateErrorCode::Render,
        format!("TypeError: {}", message.into()),
        Some(span),
    )
}

impl<'l> Renderer<'l> {
    fn step(&mut self, span: Span) -> R<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(steps_error(span));
        }
        Ok(())
    }
}

/// Out of line: `step` is inlined into every statement of the walk.
#[cold]
#[inline(never)]
fn steps_error(span: Span) -> Box<TemplateError> {
    TemplateError::boxed(
        TemplateErrorCode::Limit,
        format!("Rendering took more than {MAX_STEPS} steps (nested loops over large data?)."),
        Some(span),
    )
}
