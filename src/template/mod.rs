//! A Handlebars 4.7 template engine that renders Cal.com payload templates exactly as the
//! `handlebars` npm package (4.7.10) does with Cal.com's settings: no custom helpers, no
//! registered partials or decorators, default options. Inline partials
//! (`{{#*inline "p"}}`) work.
//!
//! The pipeline is one module per stage: `lexer` (a port of handlebars' jison lexer), `parser`
//! (its grammar, producing the [`ast`]), `whitespace` (standalone lines and `~`), `render`
//! (helpers, paths, the context stack, escaping via `escape`) and `error`. Handlebars is
//! ported rule by rule, including its quirks; the few deliberate differences are listed in
//! `COMPATIBILITY.md`.
//!
//! Everything recursive is bounded by [`Limits`]: template nesting (which bounds recursion in
//! every stage), output size, array depth when values become text, and total work.
//!
//! ```
//! use calhook::json::{Object, Value};
//! use calhook::template::{render, CompileOptions};
//!
//! let mut data = Object::new();
//! data.insert("title", Value::string("Intro <call>"));
//! let out = render("{{title}}!", &Value::object(data), &CompileOptions::default()).unwrap();
//! assert_eq!(out, "Intro &lt;call&gt;!");
//! ```

pub mod ast;
mod error;
mod escape;
pub mod excerpt;
mod fast;
mod lexer;
mod parser;
pub mod projection;
mod render;
mod whitespace;

pub use error::{Span, TemplateError, TemplateErrorCode};
pub use escape::escape_html;
// For the linter (`crate::lint`), which walks the same syntax.
pub(crate) use ast::{head_name, is_known_helper};
pub(crate) use lexer::{find_ascii, is_id_char, is_js_space};

use crate::json::Value;
use ast::{Expr, Program, Statement};

/// Which syntax to accept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dialect {
    /// Exactly what Cal.com's sender accepts (handlebars 4.7).
    #[default]
    Calcom,
    /// Also accepts the JS-style index `name[0]` that the Cal.com API reference documents
    /// (`{{payload.attendees[0].email}}`), which real handlebars rejects.
    Reference,
}

/// Resource limits. Exceeding one gives [`TemplateErrorCode::Limit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted template source, in bytes (default 256 KiB).
    pub max_template_bytes: usize,
    /// Deepest nesting of blocks and sub-expressions (default 64); larger values are clamped
    /// to [`MAX_NESTING`]. Partials count: each partial call is a level too.
    pub max_nesting: usize,
    /// Largest rendered output, in bytes (default 1 MiB).
    pub max_output_bytes: usize,
    /// Deepest array nesting that may be converted to text (default 256); larger values are
    /// clamped to [`MAX_DATA_DEPTH`].
    pub max_data_depth: usize,
}

/// The deepest [`Limits::max_nesting`] takes effect: larger settings are clamped to it, so no
/// template can exhaust the stack whatever the caller allows. Measured on the release wasm
/// (1 MiB stack): rendering traps near 1,150 nested blocks and 2,400 nested sub-expressions,
/// and compiling near 1,300 blocks. 256 levels of blocks plus 256 of sub-expressions inside
/// them stay under a third of the stack, leaving the rest to the caller's frames.
pub const MAX_NESTING: usize = 256;

/// The deepest [`Limits::max_data_depth`] takes effect (JSON parsing stops at
/// [`crate::json::DEFAULT_MAX_DEPTH`] by default, so nothing deeper arrives from JS).
pub const MAX_DATA_DEPTH: usize = 512;

impl Limits {
    /// These limits with the depth settings clamped to [`MAX_NESTING`] and [`MAX_DATA_DEPTH`].
    /// [`compile`] applies this; a [`Template`] always renders with clamped limits.
    pub fn clamped(self) -> Limits {
        Limits {
            max_nesting: self.max_nesting.min(MAX_NESTING),
            max_data_depth: self.max_data_depth.min(MAX_DATA_DEPTH),
            ..self
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_template_bytes: 256 * 1024,
            max_nesting: 64,
            max_output_bytes: 1024 * 1024,
            max_data_depth: 256,
        }
    }
}

/// Options for [`compile`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CompileOptions {
    /// Accepted syntax.
    pub dialect: Dialect,
    /// Resource limits (also used when rendering).
    pub limits: Limits,
}

/// A parsed template, ready to render many times.
#[derive(Clone, Debug)]
pub struct Template {
    program: Program,
    limits: Limits,
    /// The direct renderer's plan, when the template is in its subset (see `fast`).
    fast: Option<fast::Plan>,
}

/// Parse a template. Handlebars itself parses lazily on the first render; every error it
/// would raise then (syntax, `Invalid path`, mismatched closing tags) is raised here.
pub fn compile(source: &str, options: &CompileOptions) -> Result<Template, TemplateError> {
    let limits = options.limits.clamped();
    if source.len() > limits.max_template_bytes {
        return Err(TemplateError::new(
            TemplateErrorCode::Limit,
            format!(
                "The template is {} bytes; the limit is {} bytes.",
                source.len(),
                limits.max_template_bytes
            ),
            None,
        ));
    }
    let mut program = parser::parse(source, options.dialect, limits.max_nesting).map_err(|e| *e)?;
    whitespace::apply(&mut program);
    let fast = fast::Plan::of(&program);
    Ok(Template {
        program,
        limits,
        fast,
    })
}

/// Compile and render in one step.
pub fn render(
    source: &str,
    data: &Value,
    options: &CompileOptions,
) -> Result<String, TemplateError> {
    compile(source, options)?.render(data)
}

impl Template {
    /// Render against `data`, producing exactly what handlebars' `compile(t)(data)` returns
    /// (before Cal.com's `&quot;` replacement).
    pub fn render(&self, data: &Value) -> Result<String, TemplateError> {
        render::render(&self.program, data, &self.limits).map_err(|e| *e)
    }

    /// Render against data given as JSON text, straight from the text, when this template and
    /// data allow it: `Some` is exactly what `render(&json::parse(json)?)` gives. `None` means
    /// "parse and [`Template::render`]" (the data is invalid JSON, the template or data uses
    /// something only the general renderer does, or rendering would fail).
    pub fn try_render_json(&self, json: &str) -> Option<String> {
        self.fast.as_ref()?.render(json, &self.limits)
    }

    /// [`Template::try_render_json`] with the data already indexed (a tape that reads as the
    /// data's tree does, e.g. one with members added by `Tape::with_members`).
    pub(crate) fn try_render_tape(&self, tape: &crate::json::tape::Tape<'_>) -> Option<String> {
        self.fast.as_ref()?.render_tape(tape, &self.limits)
    }

    /// True when [`Template::try_render_json`] can render this template at all (it may still
    /// decline some data), so a caller can skip preparing a JSON text it would not read.
    pub fn renders_json_directly(&self) -> bool {
        self.fast.is_some()
    }

    /// Render against data in the word form (see [`crate::json::Words`]): the text holding its
    /// strings (`units` UTF-16 units long, as JS counts) and its nodes. `None` when the words
    /// cannot be vouched for (the JS layer then sends JSON text); otherwise exactly what
    /// [`Template::render`] gives for the same data.
    pub fn render_words(
        &self,
        text: &str,
        units: usize,
        words: &[u8],
    ) -> Option<Result<String, TemplateError>> {
        let mut out = Vec::with_capacity(text.len() + 256);
        let done = self.render_words_into(text, units, words, &mut out)?;
        Some(done.map(|()| String::from_utf8(out).unwrap_or_default()))
    }

    /// [`Template::render_words`] into `out` (cleared first; UTF-8 text after `Some(Ok(()))`),
    /// so a host can keep one output buffer.
    pub fn render_words_into(
        &self,
        text: &str,
        units: usize,
        words: &[u8],
        out: &mut Vec<u8>,
    ) -> Option<Result<(), TemplateError>> {
        use crate::json::tape::Tape;
        fast::with_nodes(|nodes| match Tape::from_words(text, units, words, nodes) {
            Ok(tape) => {
                let fast = self
                    .fast
                    .as_ref()
                    .and_then(|p| p.render_tape_into(&tape, &self.limits, out));
                let result = match fast {
                    Some(()) => Some(Ok(())),
                    // The general renderer, on the same data as a tree.
                    None => tape.to_value().map(|data| {
                        self.render(&data).map(|s| {
                            out.clear();
                            out.extend_from_slice(s.as_bytes());
                        })
                    }),
                };
                (result, tape.into_nodes())
            }
            Err(nodes) => (None, nodes),
        })
    }

    /// The distinct paths the template reads, as written (`attendees.0.email`, `@root.uid`),
    /// in order of first use. Helper names, `this`/`..` alone and `@index`-style data
    /// variables other than `@root` paths are left out.
    pub fn variables(&self) -> Vec<String> {
        let mut out = Variables::default();
        collect_program(&self.program, &mut out);
        out.list
    }

    /// What part of the data this template can read (see [`projection`]): a host that
    /// serializes data to render can send only that.
    pub fn data_projection(&self) -> projection::Projection {
        projection::project(&self.program)
    }

    /// The syntax tree (after whitespace control), with spans, for linting.
    pub fn ast(&self) -> &Program {
        &self.program
    }
}

/// Distinct paths in first-use order (the ordered set makes each check O(log² n)).
#[derive(Default)]
struct Variables {
    list: Vec<String>,
    seen: crate::json::RunMap<std::rc::Rc<str>, usize>,
}

fn collect_program(program: &Program, out: &mut Variables) {
    for stmt in &program.body {
        match stmt {
            Statement::Mustache(m) if m.decorator => {}
            Statement::Mustache(m) => collect_call(&m.call, out),
            Statement::Block(b) => {
                match b.kind {
                    ast::BlockKind::Block | ast::BlockKind::Raw => collect_call(&b.call, out),
                    // The head names a partial, not data.
                    ast::BlockKind::PartialBlock => collect_args(&b.call, out),
                    // `{{#*inline "name"}}`: the argument is the partial's name.
                    ast::BlockKind::Decorator => {}
                }
                if let Some(p) = &b.program {
                    collect_program(p, out);
                }
                if let Some(p) = &b.inverse {
                    collect_program(p, out);
                }
            }
            Statement::Partial(p) => {
                for e in &p.params {
                    collect_expr(e, out);
                }
                for pair in &p.hash {
                    collect_expr(&pair.value, out);
                }
            }
            Statement::Content(_) | Statement::Comment(_) => {}
        }
    }
}

fn collect_call(call: &ast::Call, out: &mut Variables) {
    let is_helper_name = match &call.head {
        Expr::Path(p) => p.parts.first().is_some_and(|n| is_known_helper(n)),
        _ => true,
    };
    if !is_helper_name {
        collect_expr(&call.head, out);
    }
    collect_args(call, out);
}

fn collect_args(call: &ast::Call, out: &mut Variables) {
    for e in &call.params {
        collect_expr(e, out);
    }
    for pair in &call.hash {
        collect_expr(&pair.value, out);
    }
}

fn collect_expr(e: &Expr, out: &mut Variables) {
    match e {
        Expr::Path(p) => {
            let keep = !p.parts.is_empty() && (!p.data || p.original.starts_with("@root"));
            // The map type of JSON objects' key index: its code is in the wasm already.
            let key = || std::rc::Rc::from(p.original.as_str());
            if keep && out.seen.get_or_insert(key(), 0).is_none() {
                out.list.push(p.original.clone());
            }
        }
        Expr::SubExpr(c) => collect_call(c, out),
        Expr::Literal(_) => {}
    }
}
