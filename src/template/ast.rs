//! The template syntax tree, shaped like handlebars' own AST (`compiler/ast.js`) so that the
//! whitespace pass and the renderer can follow handlebars' code closely. Every node has a
//! [`Span`] for the linter.

use super::error::Span;
use crate::json::Value;

/// A sequence of statements: the template itself, a block body or an `{{else}}` body.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// The statements, in source order.
    pub body: Vec<Statement>,
    /// Names declared with `as |a b|` on the block that owns this program.
    pub block_params: Vec<String>,
    /// True for the synthetic program that holds an `{{else if …}}` chain.
    pub chained: bool,
    /// Source range covered.
    pub span: Span,
    /// A decorator (`{{* d}}` or a `{{#*d}}` block) is directly in `body` (for the renderer).
    pub(crate) has_decorators: bool,
    /// Some block in `body` may be compiled as a separate statement (a section on a plain
    /// name, `{{#x}}`); when false the renderer need not classify the blocks each run.
    pub(crate) maybe_explicit: bool,
}

impl Program {
    pub(crate) fn new(
        body: Vec<Statement>,
        block_params: Vec<String>,
        chained: bool,
        span: Span,
    ) -> Program {
        let has_decorators = body.iter().any(|s| match s {
            Statement::Mustache(m) => m.decorator,
            Statement::Block(b) => b.kind == BlockKind::Decorator,
            _ => false,
        });
        let maybe_explicit = body.iter().any(|s| match s {
            Statement::Block(b) => may_be_ambiguous(b),
            _ => false,
        });
        Program {
            body,
            block_params,
            chained,
            span,
            has_decorators,
            maybe_explicit,
        }
    }
}

/// One statement.
#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    /// Literal text.
    Content(Content),
    /// `{{! … }}` or `{{!-- … --}}`.
    Comment(Comment),
    /// `{{x}}`, `{{{x}}}`, `{{&x}}`, or a decorator `{{* x}}`.
    Mustache(Mustache),
    /// `{{#x}}…{{/x}}`, `{{^x}}…{{/x}}`, raw blocks, decorator blocks and partial blocks.
    Block(Box<Block>),
    /// `{{> name}}`.
    Partial(Partial),
}

/// Literal text.
#[derive(Clone, Debug, PartialEq)]
pub struct Content {
    /// The text after whitespace control.
    pub value: String,
    /// The text as lexed (whitespace tests look at this, as handlebars does).
    pub original: String,
    /// Source range.
    pub span: Span,
    pub(crate) right_stripped: bool,
    pub(crate) left_stripped: bool,
}

/// A comment.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    /// The comment text without `{{!`/`}}` and dashes.
    pub value: String,
    /// `~` flags.
    pub strip: Strip,
    /// Source range.
    pub span: Span,
}

/// Whitespace-control flags: `open` is a `~` right after `{{`, `close` one right before `}}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Strip {
    /// `{{~`.
    pub open: bool,
    /// `~}}`.
    pub close: bool,
}

/// A mustache statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Mustache {
    /// The expression.
    pub call: Call,
    /// False for `{{{x}}}` and `{{&x}}`.
    pub escaped: bool,
    /// True for a decorator `{{* x}}` (Cal.com registers none: rendering one fails).
    pub decorator: bool,
    /// `~` flags.
    pub strip: Strip,
    /// Source range of the whole tag.
    pub span: Span,
}

/// A head expression with parameters and hash, as in `name a b k=v`.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The helper name or path.
    pub head: Expr,
    /// Positional parameters.
    pub params: Vec<Expr>,
    /// `key=value` pairs.
    pub hash: Vec<HashPair>,
    /// Source range.
    pub span: Span,
}

/// `key=value`.
#[derive(Clone, Debug, PartialEq)]
pub struct HashPair {
    /// The key.
    pub key: String,
    /// The value.
    pub value: Expr,
    /// Source range.
    pub span: Span,
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A path such as `a.b`, `../x`, `@index`.
    Path(PathExpr),
    /// A literal.
    Literal(Literal),
    /// `( … )`.
    SubExpr(Box<Call>),
}

impl Expr {
    /// Source range.
    pub fn span(&self) -> Span {
        match self {
            Expr::Path(p) => p.span,
            Expr::Literal(l) => l.span,
            Expr::SubExpr(c) => c.span,
        }
    }
}

/// A path expression (handlebars `PathExpression`).
#[derive(Clone, Debug, PartialEq)]
pub struct PathExpr {
    /// Starts with `@`.
    pub data: bool,
    /// Number of leading `../`.
    pub depth: usize,
    /// Segments after removing `this`, `.` and `..` (brackets removed).
    pub parts: Vec<String>,
    /// The path as written, normalised as handlebars does (`[a]` becomes `a`).
    pub original: String,
    /// Source range.
    pub span: Span,
    /// `scopedId(original)` (`/^\.|this\b/`), computed once for the renderer.
    pub(crate) scoped: bool,
}

/// A literal.
#[derive(Clone, Debug, PartialEq)]
pub struct Literal {
    /// The value.
    pub value: LiteralValue,
    /// Source range.
    pub span: Span,
}

/// Literal values.
#[derive(Clone, Debug, PartialEq)]
pub enum LiteralValue {
    /// `"…"` or `'…'`.
    String(String),
    /// A number (`Number(text)`).
    Number(f64),
    /// `true` / `false`.
    Boolean(bool),
    /// `undefined`.
    Undefined,
    /// `null`.
    Null,
}

impl LiteralValue {
    /// JS `String(literal)`: the text a literal has where handlebars uses it as a name
    /// (a helper or partial name, a `lookup` key, a block's closing tag).
    pub fn to_js_string(&self) -> String {
        match self {
            LiteralValue::String(s) => s.clone(),
            LiteralValue::Number(n) => Value::Number(*n).to_js_string(),
            LiteralValue::Boolean(b) => Value::Bool(*b).to_js_string(),
            LiteralValue::Undefined => "undefined".to_string(),
            LiteralValue::Null => Value::Null.to_js_string(),
        }
    }
}

/// What kind of block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// `{{#x}}` or `{{^x}}`.
    Block,
    /// `{{{{x}}}}…{{{{/x}}}}`.
    Raw,
    /// `{{#*x}}`: `{{#*inline "name"}}` defines a partial; other decorators fail to render.
    Decorator,
    /// `{{#> p}}fallback{{/p}}`.
    PartialBlock,
}

/// A block statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Which kind.
    pub kind: BlockKind,
    /// The opening expression.
    pub call: Call,
    /// The main body (absent for `{{^x}}` without `{{else}}`).
    pub program: Option<Program>,
    /// The `{{else}}` body (for `{{^x}}…{{/x}}`, the body).
    pub inverse: Option<Program>,
    /// `~` on the opening tag.
    pub open_strip: Strip,
    /// `~` on the `{{else}}` tag.
    pub inverse_strip: Strip,
    /// `~` on the closing tag.
    pub close_strip: Strip,
    /// Source range of the whole block.
    pub span: Span,
}

/// A partial `{{> name …}}`. Only inline partials (`{{#*inline "name"}}`) exist in Cal.com
/// templates, since Cal.com registers none.
#[derive(Clone, Debug, PartialEq)]
pub struct Partial {
    /// The partial name.
    pub name: Expr,
    /// Parameters.
    pub params: Vec<Expr>,
    /// Hash.
    pub hash: Vec<HashPair>,
    /// `~` flags.
    pub strip: Strip,
    /// For a standalone partial, the indentation before it, added to every output line.
    pub indent: Option<String>,
    /// Source range.
    pub span: Span,
}

// ---- Predicates on the tree, shared by the parser, the renderer, the projection and the
// linter (handlebars' `AST.helpers` and the compiler's helper list).

/// The one list of helper names, written once: the renderer tests names with a `match`
/// (it does so for every `{{name}}`), the projection and the linter read the slice.
macro_rules! known_helpers {
    ($($name:literal),+ $(,)?) => {
        /// Helpers handlebars registers by default (`knownHelpers`).
        pub(crate) const KNOWN_HELPERS: &[&str] = &[$($name),+];

        /// `name` is one of [`KNOWN_HELPERS`].
        #[inline]
        pub(crate) fn is_known_helper(name: &str) -> bool {
            matches!(name, $($name)|+)
        }
    };
}

known_helpers!(
    "helperMissing",
    "blockHelperMissing",
    "each",
    "if",
    "unless",
    "with",
    "log",
    "lookup",
);

/// `AST.helpers.scopedId`: `/^\.|this\b/` on the original path text.
pub(crate) fn scoped_id(original: &str) -> bool {
    let b = original.as_bytes();
    if b.first() == Some(&b'.') {
        return true;
    }
    // `this` followed by a non-word character or the end (`\b`); a non-ASCII byte is no word
    // character, as in a JS regex without the `u` flag.
    b.windows(4).enumerate().any(|(i, w)| {
        w == b"this"
            && !b
                .get(i + 4)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    })
}

/// Whether the renderer's `is_ambiguous` can be true for `b` in some scope (only block parameters
/// depend on the scope, and a block parameter makes a call `Simple`).
pub(crate) fn may_be_ambiguous(b: &Block) -> bool {
    matches!(b.kind, BlockKind::Block | BlockKind::Raw)
        && b.call.params.is_empty()
        && b.call.hash.is_empty()
        && head_path(&b.call.head).is_some_and(|p| {
            simple_id(&p) && !is_known_helper(p.parts.first().map(String::as_str).unwrap_or(""))
        })
}

/// `AST.helpers.simpleId`.
pub(crate) fn simple_id(p: &PathExpr) -> bool {
    p.parts.len() == 1 && !p.scoped && p.depth == 0
}

/// `transformLiteralToPath`: a literal used as a helper name reads the property of that name.
pub(crate) fn head_path(head: &Expr) -> Option<std::borrow::Cow<'_, PathExpr>> {
    use std::borrow::Cow;
    match head {
        Expr::Path(p) => Some(Cow::Borrowed(p)),
        Expr::Literal(l) => {
            let text = l.value.to_js_string();
            Some(Cow::Owned(PathExpr {
                data: false,
                depth: 0,
                parts: vec![text.clone()],
                scoped: scoped_id(&text),
                original: text,
                span: l.span,
            }))
        }
        Expr::SubExpr(_) => None,
    }
}

pub(crate) fn head_name(head: &Expr) -> String {
    head_path(head)
        .map(|p| p.original.clone())
        .unwrap_or_default()
}
