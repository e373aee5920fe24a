//! The template syntax tree, shaped like handlebars' own AST (`compiler/ast.js`) so that the
//! whitespace pass and the renderer can follow handlebars' code closely. Every node has a
//! [`Span`] for the linter.

use super::error::Span;

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
