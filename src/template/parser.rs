//! The parser: recursive descent over the grammar of handlebars' `handlebars.yy` (4.7.10),
//! building the same tree shapes as its `helpers.js` (`preparePath`, `prepareBlock`, …) and
//! raising the same errors (jison parse errors, lexical errors, `Invalid path`, `doesn't match`).

use super::ast::*;
use super::error::{LineIndex, Span, TemplateError, TemplateErrorCode};
use super::lexer::{find_ascii, tokenize, Tok, Token};
use super::Dialect;
use crate::json::parse_f64;

/// A set of terminals, one bit per [`Tok`]: what jison "expects" at a parse error.
#[derive(Clone, Copy)]
struct Expect(u32);

impl Expect {
    const fn of(toks: &[Tok]) -> Expect {
        let mut bits = 0;
        let mut i = 0;
        while i < toks.len() {
            bits |= 1 << toks[i] as u32;
            i += 1;
        }
        Expect(bits)
    }

    const fn with(self, other: Expect) -> Expect {
        Expect(self.0 | other.0)
    }

    fn has(self, tok: Tok) -> bool {
        self.0 & (1 << tok as u32) != 0
    }
}

/// The order in which jison lists expected terminals (the same for every parser state that
/// can fail here, so one order serves all messages).
const EXPECT_ORDER: [Tok; 30] = [
    Tok::Eof,
    Tok::Comment,
    Tok::Content,
    Tok::EndRawBlock,
    Tok::OpenRawBlock,
    Tok::CloseRawBlock,
    Tok::OpenBlock,
    Tok::Close,
    Tok::OpenInverse,
    Tok::OpenInverseChain,
    Tok::Inverse,
    Tok::OpenEndBlock,
    Tok::Open,
    Tok::OpenUnescaped,
    Tok::CloseUnescaped,
    Tok::OpenPartial,
    Tok::OpenPartialBlock,
    Tok::OpenSexpr,
    Tok::CloseSexpr,
    Tok::CloseBlockParams,
    Tok::Id,
    Tok::Equals,
    Tok::Str,
    Tok::Number,
    Tok::Boolean,
    Tok::Undefined,
    Tok::Null,
    Tok::Data,
    Tok::OpenBlockParams,
    Tok::Sep,
];

const HELPER_NAME: Expect = Expect::of(&[
    Tok::Id,
    Tok::Str,
    Tok::Number,
    Tok::Boolean,
    Tok::Undefined,
    Tok::Null,
    Tok::Data,
]);
const PARAM: Expect = HELPER_NAME.with(Expect::of(&[Tok::OpenSexpr]));

/// The statement openers, which jison also expects where a program may still be empty.
const STATEMENT: Expect = Expect::of(&[
    Tok::Comment,
    Tok::Content,
    Tok::OpenRawBlock,
    Tok::OpenBlock,
    Tok::OpenInverse,
    Tok::OpenPartialBlock,
    Tok::OpenPartial,
    Tok::Open,
    Tok::OpenUnescaped,
]);

/// What jison expects after a program ends at an unexpected token: the terminators that can
/// follow it, plus the statement openers when the program is empty.
fn after_program(terminators: &[Tok], empty: bool) -> Expect {
    let t = Expect::of(terminators);
    if empty {
        t.with(STATEMENT)
    } else {
        t
    }
}

pub(crate) struct Parser<'s> {
    src: &'s str,
    tokens: Vec<Token>,
    pos: usize,
    lines: LineIndex<'s>,
    dialect: Dialect,
    depth: usize,
    max_depth: usize,
    /// Names and spans of the blocks being parsed, for hints.
    open_blocks: Vec<(String, Span)>,
}

type PResult<T> = Result<T, Box<TemplateError>>;

/// One segment of a path before `preparePath`.
struct Seg {
    part: String,
    original: String,
    separator: Option<String>,
    /// Reference dialect `[N]` written directly after a segment.
    index: bool,
}

/// `{strip, program, chain}` of handlebars' `inverseAndProgram` / `inverseChain`.
struct InverseAndProgram {
    strip: Strip,
    program: Program,
    chain: bool,
}

/// The parts shared by every `{{# …}}`-style opener.
struct Open {
    call: Call,
    block_params: Vec<String>,
    strip: Strip,
    text: String,
}

pub(crate) fn parse(src: &str, dialect: Dialect, max_depth: usize) -> PResult<Program> {
    let mut p = Parser {
        src,
        tokens: tokenize(src, dialect),
        pos: 0,
        lines: LineIndex::new(src),
        dialect,
        depth: 0,
        max_depth,
        open_blocks: Vec::new(),
    };
    let program = p.program(Vec::new())?;
    if p.peek() != Tok::Eof {
        return Err(p.unexpected(after_program(&[Tok::Eof], program.body.is_empty())));
    }
    Ok(program)
}

/// jison's `Expecting 'A', 'B'` list.
#[cold]
#[inline(never)]
fn expected_names(expected: Expect) -> String {
    let mut out = String::new();
    for tok in EXPECT_ORDER.iter().filter(|t| expected.has(**t)) {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push('\'');
        out.push_str(tok.name());
        out.push('\'');
    }
    out
}

/// Number of characters in `s`.
fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xc0 != 0x80).count()
}

/// Byte offset of character `n` of `s` (`s.len()` when it has no more).
fn char_offset(s: &str, n: usize) -> usize {
    let mut seen = 0;
    for (i, b) in s.bytes().enumerate() {
        if b & 0xc0 != 0x80 {
            if seen == n {
                return i;
            }
            seen += 1;
        }
    }
    s.len()
}

/// `s` without its `\n`s, appended to `out`.
fn push_without_newlines(out: &mut String, s: &str) {
    for piece in s.split('\n') {
        out.push_str(piece);
    }
}

/// `stripFlags(open, close)`: `~` at index 2 of the opener, 3rd from the end of the closer.
fn strip_flags(open: &str, close: &str) -> Strip {
    let open_flag = open.as_bytes().get(2) == Some(&b'~');
    let close_flag = close.len() >= 3 && close.as_bytes().get(close.len() - 3) == Some(&b'~');
    Strip {
        open: open_flag,
        close: close_flag,
    }
}

/// `yy.id`: strip the brackets of a `[literal]` segment (`.` does not match line breaks).
fn id(token: &str) -> String {
    // `strip_prefix`/`strip_suffix` instead of `&token[1..len - 1]`: no slicing panic path.
    if let Some(inner) = token.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        if !inner
            .chars()
            .any(|c| matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}'))
        {
            return inner.to_string();
        }
    }
    token.to_string()
}

/// `stripComment`.
fn strip_comment(text: &str) -> String {
    let mut s = text.strip_prefix("{{").unwrap_or(text);
    s = s.strip_prefix('~').unwrap_or(s);
    s = s.strip_prefix('!').unwrap_or(s);
    for _ in 0..2 {
        s = s.strip_prefix('-').unwrap_or(s);
    }
    let mut s = s.strip_suffix("}}").unwrap_or(s);
    s = s.strip_suffix('~').unwrap_or(s);
    for _ in 0..2 {
        s = s.strip_suffix('-').unwrap_or(s);
    }
    s.to_string()
}

/// How handlebars compares an opener with its closer (`path.original`, literals' `original`).
pub(crate) fn original_of(expr: &Expr) -> (u8, String) {
    match expr {
        Expr::Path(p) => (0, p.original.clone()),
        Expr::Literal(l) => {
            let kind = match &l.value {
                LiteralValue::String(_) => 0,
                LiteralValue::Number(_) => 1,
                LiteralValue::Boolean(_) => 2,
                LiteralValue::Undefined => 3,
                LiteralValue::Null => 4,
            };
            (kind, l.value.to_js_string())
        }
        Expr::SubExpr(_) => (5, String::new()),
    }
}

impl<'s> Parser<'s> {
    fn peek_tok(&self) -> &Token {
        // The token list always ends with Eof or LexError and we never advance past it.
        let last = self.tokens.len().saturating_sub(1);
        &self.tokens[self.pos.min(last)]
    }

    fn peek(&self) -> Tok {
        self.peek_tok().kind
    }

    fn peek2(&self) -> Tok {
        self.tokens.get(self.pos + 1).map_or(Tok::Eof, |t| t.kind)
    }

    #[inline(never)]
    fn advance(&mut self) -> Token {
        let tok = self.peek_tok().clone();
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
        tok
    }

    /// [`Parser::advance`] for a token that is not kept: no clone of its text to drop.
    #[inline(never)]
    fn skip(&mut self) {
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
    }

    #[inline(never)]
    fn span(&self, start: usize, end: usize) -> Span {
        self.lines.span(start, end)
    }

    fn prev_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.end)
    }

    #[inline(never)]
    fn enter(&mut self, start: usize) -> PResult<()> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(TemplateError::boxed(
                TemplateErrorCode::Limit,
                format!(
                    "The template nests blocks or sub-expressions more than {} levels deep; flatten it.",
                    self.max_depth
                ),
                Some(self.span(start, start)),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// jison's `showPosition()`: up to 20 characters before and after, then a caret line.
    /// Counted on the UTF-8 bytes (a character is a byte that does not continue one; `\n`
    /// is never part of another character), so no character decoding is generated here.
    #[cold]
    #[inline(never)]
    fn show_position(&self, start: usize, end: usize) -> String {
        let past = self.src.get(..start).unwrap_or("");
        let past_len = char_count(past);
        let mut out = String::new();
        if past_len > 20 {
            out.push_str("...");
        }
        // The last 20 characters before the token, then the next 20, without line breaks.
        let skip = past_len.saturating_sub(20);
        push_without_newlines(&mut out, past.get(char_offset(past, skip)..).unwrap_or(""));
        let dashes = char_count(&out);
        let upcoming = self.src.get(start..).unwrap_or("");
        push_without_newlines(
            &mut out,
            upcoming.get(..char_offset(upcoming, 20)).unwrap_or(""),
        );
        if char_count(self.src.get(start..end).unwrap_or("")) > 20 {
            out.push_str("...");
        }
        out.push('\n');
        for _ in 0..dashes {
            out.push('-');
        }
        out.push('^');
        out
    }

    /// jison's line number for an error at a token: newlines consumed through that token.
    fn error_line(&self, end: usize) -> usize {
        self.lines.span(end, end).line
    }

    #[cold]
    #[inline(never)]
    fn unexpected(&self, expected: Expect) -> Box<TemplateError> {
        let tok = self.peek_tok();
        if tok.kind == Tok::LexError {
            let mut message = format!(
                "Lexical error on line {}. Unrecognized text.\n{}",
                self.error_line(tok.start),
                self.show_position(tok.start, tok.start)
            );
            let rest = self.src.get(tok.start..).unwrap_or("");
            if find_ascii(rest, b"{{!--").is_some() || rest.starts_with("{{~!--") {
                message.push_str("\nHint: a `{{!--` comment must be closed with `--}}`.");
            } else if rest.starts_with("{{{{") {
                message.push_str("\nHint: close the raw block with `{{{{/name}}}}`.");
            } else if rest.starts_with('\0') {
                message.push_str("\nHint: the template contains a NUL character.");
            }
            return TemplateError::boxed(
                TemplateErrorCode::Syntax,
                message,
                Some(self.span(tok.start, tok.start)),
            );
        }
        let mut message = format!(
            "Parse error on line {}:\n{}\nExpecting {}, got '{}'",
            self.error_line(tok.end),
            self.show_position(tok.start, tok.end),
            expected_names(expected),
            tok.kind.name()
        );
        if let Some(hint) = self.hint(tok) {
            message.push_str("\nHint: ");
            message.push_str(&hint);
        }
        TemplateError::boxed(
            TemplateErrorCode::Syntax,
            message,
            Some(self.span(tok.start, tok.end)),
        )
    }

    /// What to write instead, for the mistakes people make in payload templates.
    #[cold]
    #[inline(never)]
    fn hint(&self, tok: &Token) -> Option<String> {
        let prev = self.pos.checked_sub(1).and_then(|i| self.tokens.get(i));
        let rest = self.src.get(tok.start..).unwrap_or("");
        match tok.kind {
            Tok::CloseUnescaped if tok.text == "}}}" => Some(
                "`}}}` closes a triple-stash `{{{x}}}`. After `{{x` write `}}` and then a space: `{{x}} }`.".into(),
            ),
            Tok::Number if prev.is_some_and(|p| p.kind == Tok::Sep) => Some(format!(
                "a number segment must be written in brackets when it ends the path: `.[{}]` (`attendees.[0]`), or be followed by more segments (`attendees.0.email`).",
                tok.text
            )),
            // What precedes the `[` is a name as the lexer reads one (`is_id_char`).
            Tok::Invalid if rest.trim_start_matches(super::lexer::is_id_char).starts_with('[') => Some(
                "`name[0]` is JavaScript syntax, not Handlebars. Write `name.[0]` (for example `attendees.[0].email`).".into(),
            ),
            Tok::Invalid if rest.starts_with("\\\"") => {
                Some("`\\\"` is not allowed inside `{{ }}`; quote strings with single quotes: 'name'.".into())
            }
            Tok::Invalid if find_ascii(rest, b"}}").is_none() => Some("close the tag with `}}`.".into()),
            Tok::Inverse if self.open_blocks.is_empty() => {
                Some("`{{else}}` is only allowed inside a block such as `{{#if …}}`.".into())
            }
            Tok::Inverse => Some(
                "a block has at most one `{{else}}`; chain more conditions with `{{else if …}}`.".into(),
            ),
            Tok::OpenEndBlock if self.open_blocks.is_empty() => {
                Some("this closing tag has no matching opening tag.".into())
            }
            Tok::Eof => self.open_blocks.last().map(|(name, span)| {
                format!(
                    "`{{{{#{name}}}}}` opened on line {}, column {} is never closed: add `{{{{/{name}}}}}`.",
                    span.line, span.column
                )
            }),
            _ => None,
        }
    }

    /// A handlebars `Exception` raised by the parser helpers, with ` - L:C` appended.
    #[cold]
    #[inline(never)]
    fn exception(&self, message: String, span: Span) -> Box<TemplateError> {
        let message = format!(
            "{} - {}:{}",
            message,
            span.line,
            span.column.saturating_sub(1)
        );
        TemplateError::boxed(TemplateErrorCode::Syntax, message, Some(span))
    }

    /// `{{> p a b}}`: handlebars accepts one context argument.
    #[cold]
    #[inline(never)]
    fn partial_arguments_error(&self, count: usize, span: Span) -> Box<TemplateError> {
        self.exception(
            format!("Unsupported number of partial arguments: {count}"),
            span,
        )
    }

    fn expect(&mut self, kind: Tok, expected: Expect) -> PResult<Token> {
        if self.peek() == kind {
            Ok(self.advance())
        } else {
            Err(self.unexpected(expected))
        }
    }

    /// `content: CONTENT`.
    fn content(&self, t: Token) -> Statement {
        Statement::Content(Content {
            value: t.text.clone(),
            original: t.text,
            span: self.span(t.start, t.end),
            right_stripped: false,
            left_stripped: false,
        })
    }

    /// `program: statement*`.
    #[inline(never)]
    fn program(&mut self, block_params: Vec<String>) -> PResult<Program> {
        let start = self.peek_tok().start;
        let mut body = Vec::new();
        loop {
            let stmt = match self.peek() {
                Tok::Content => {
                    let t = self.advance();
                    self.content(t)
                }
                Tok::Comment => {
                    let t = self.advance();
                    Statement::Comment(Comment {
                        value: strip_comment(&t.text),
                        strip: strip_flags(&t.text, &t.text),
                        span: self.span(t.start, t.end),
                    })
                }
                Tok::Open | Tok::OpenUnescaped => self.mustache()?,
                Tok::OpenBlock | Tok::OpenInverse => Statement::Block(self.block()?),
                Tok::OpenRawBlock => Statement::Block(Box::new(self.raw_block()?)),
                Tok::OpenPartial => self.partial()?,
                Tok::OpenPartialBlock => Statement::Block(self.partial_block()?),
                _ => break,
            };
            body.push(stmt);
        }
        let end = self.prev_end().max(start);
        Ok(Program::new(
            body,
            block_params,
            false,
            self.span(start, end),
        ))
    }

    /// `helperName param* hash?` followed by `closer`.
    #[inline(never)]
    fn call_until(
        &mut self,
        closer: Tok,
        allow_block_params: bool,
    ) -> PResult<(Call, Vec<String>, Token)> {
        let start = self.peek_tok().start;
        let head = self.helper_name()?;
        let (params, hash) = self.params_and_hash()?;
        let mut block_params = Vec::new();
        if allow_block_params && self.peek() == Tok::OpenBlockParams {
            self.skip();
            loop {
                match self.peek() {
                    Tok::Id => block_params.push(self.advance().text),
                    Tok::CloseBlockParams if !block_params.is_empty() => {
                        self.skip();
                        break;
                    }
                    _ => {
                        let expected = if block_params.is_empty() {
                            Expect::of(&[Tok::Id])
                        } else {
                            Expect::of(&[Tok::CloseBlockParams, Tok::Id])
                        };
                        return Err(self.unexpected(expected));
                    }
                }
            }
        }
        let end = self.prev_end();
        if self.peek() != closer {
            let mut expected = Expect::of(&[closer]);
            if hash.is_empty() {
                expected = expected.with(PARAM);
            }
            if allow_block_params && block_params.is_empty() {
                expected = expected.with(Expect::of(&[Tok::OpenBlockParams]));
            }
            return Err(self.unexpected(expected));
        }
        let close = self.advance();
        Ok((
            Call {
                head,
                params,
                hash,
                span: self.span(start, end),
            },
            block_params,
            close,
        ))
    }

    #[inline(never)]
    fn params_and_hash(&mut self) -> PResult<(Vec<Expr>, Vec<HashPair>)> {
        let mut params = Vec::new();
        loop {
            match self.peek() {
                Tok::Id if self.peek2() == Tok::Equals => break,
                Tok::Id
                | Tok::Data
                | Tok::Str
                | Tok::Number
                | Tok::Boolean
                | Tok::Undefined
                | Tok::Null => params.push(self.helper_name()?),
                Tok::OpenSexpr => params.push(self.sexpr()?),
                _ => break,
            }
        }
        let mut hash = Vec::new();
        while self.peek() == Tok::Id && self.peek2() == Tok::Equals {
            let key = self.advance();
            self.skip();
            let value = self.param()?;
            let span = self.span(key.start, value.span().end);
            hash.push(HashPair {
                key: id(&key.text),
                value,
                span,
            });
            if self.peek() == Tok::Id && self.peek2() != Tok::Equals {
                // jison reads an ID after a hash pair as the next key.
                self.skip();
                return Err(self.unexpected(Expect::of(&[Tok::Equals])));
            }
        }
        Ok((params, hash))
    }

    /// `param: helperName | sexpr`; the grammar's `partialName` is the same rule.
    fn param(&mut self) -> PResult<Expr> {
        match self.peek() {
            Tok::OpenSexpr => self.sexpr(),
            Tok::Id
            | Tok::Data
            | Tok::Str
            | Tok::Number
            | Tok::Boolean
            | Tok::Undefined
            | Tok::Null => self.helper_name(),
            _ => Err(self.unexpected(PARAM)),
        }
    }

    /// `sexpr: OPEN_SEXPR helperName param* hash? CLOSE_SEXPR`.
    #[inline(never)]
    fn sexpr(&mut self) -> PResult<Expr> {
        let open = self.advance();
        self.enter(open.start)?;
        let head = self.helper_name()?;
        let (params, hash) = self.params_and_hash()?;
        if self.peek() != Tok::CloseSexpr {
            let mut expected = Expect::of(&[Tok::OpenSexpr, Tok::CloseSexpr]);
            if hash.is_empty() {
                expected = expected.with(HELPER_NAME);
            }
            return Err(self.unexpected(expected));
        }
        let close = self.advance();
        self.leave();
        Ok(Expr::SubExpr(Box::new(Call {
            head,
            params,
            hash,
            span: self.span(open.start, close.end),
        })))
    }

    /// `helperName: path | dataName | STRING | NUMBER | BOOLEAN | UNDEFINED | NULL`.
    #[inline(never)]
    fn helper_name(&mut self) -> PResult<Expr> {
        let tok = self.peek_tok().clone();
        let value = match tok.kind {
            Tok::Id => return self.path(false, tok.start),
            Tok::Data => {
                self.skip();
                if self.peek() != Tok::Id {
                    return Err(self.unexpected(Expect::of(&[Tok::Id])));
                }
                return self.path(true, tok.start);
            }
            Tok::Str => LiteralValue::String(tok.text.clone()),
            Tok::Number => LiteralValue::Number(parse_f64(&tok.text).unwrap_or(f64::NAN)),
            Tok::Boolean => LiteralValue::Boolean(tok.text == "true"),
            Tok::Undefined => LiteralValue::Undefined,
            Tok::Null => LiteralValue::Null,
            _ => return Err(self.unexpected(HELPER_NAME)),
        };
        self.skip();
        Ok(Expr::Literal(Literal {
            value,
            span: self.span(tok.start, tok.end),
        }))
    }

    /// `pathSegments: pathSegments SEP ID | ID`, then `preparePath`.
    #[inline(never)]
    fn path(&mut self, data: bool, start: usize) -> PResult<Expr> {
        let first = self.advance();
        let mut segs = vec![Seg {
            part: id(&first.text),
            original: first.text.clone(),
            separator: None,
            index: false,
        }];
        let mut end = first.end;
        loop {
            match self.peek() {
                Tok::Sep => {
                    let sep = self.advance();
                    let seg = self.expect(Tok::Id, Expect::of(&[Tok::Id]))?;
                    end = seg.end;
                    segs.push(Seg {
                        part: id(&seg.text),
                        original: seg.text,
                        separator: Some(sep.text),
                        index: false,
                    });
                }
                Tok::Id if self.dialect == Dialect::Reference && self.is_adjacent_index() => {
                    let seg = self.advance();
                    end = seg.end;
                    segs.push(Seg {
                        part: id(&seg.text),
                        original: seg.text,
                        separator: None,
                        index: true,
                    });
                }
                _ => break,
            }
        }
        let span = self.span(start, end);
        self.prepare_path(data, segs, span).map(Expr::Path)
    }

    /// Reference dialect: an `[N]` token written right after the previous segment.
    fn is_adjacent_index(&self) -> bool {
        let tok = self.peek_tok();
        tok.start == self.prev_end()
            && super::lexer::is_index_segment(&tok.text)
            && tok.text.ends_with(']')
    }

    /// `preparePath`: drop `this`/`.`/`..` (only allowed in front) and count `..`.
    #[inline(never)]
    fn prepare_path(&self, data: bool, segs: Vec<Seg>, span: Span) -> PResult<PathExpr> {
        let mut original = if data {
            String::from("@")
        } else {
            String::new()
        };
        let mut parts = Vec::new();
        let mut depth = 0;
        for seg in segs {
            let is_literal = seg.original != seg.part;
            if seg.index {
                original.push('[');
                original.push_str(&seg.part);
                original.push(']');
            } else {
                original.push_str(seg.separator.as_deref().unwrap_or(""));
                original.push_str(&seg.part);
            }
            if !is_literal && (seg.part == ".." || seg.part == "." || seg.part == "this") {
                if !parts.is_empty() {
                    let mut err = self.exception(format!("Invalid path: {original}"), span);
                    err.message.push_str(
                        "\nHint: `this`, `.` and `..` may only start a path (`this.x`, `../x`); for a key named \"this\" write `[this]`.",
                    );
                    return Err(err);
                }
                if seg.part == ".." {
                    depth += 1;
                }
            } else {
                parts.push(seg.part);
            }
        }
        let scoped = crate::template::ast::scoped_id(&original);
        Ok(PathExpr {
            data,
            depth,
            parts,
            original,
            span,
            scoped,
        })
    }

    /// `mustache: OPEN helperName param* hash? CLOSE | OPEN_UNESCAPED … CLOSE_UNESCAPED`.
    #[inline(never)]
    fn mustache(&mut self) -> PResult<Statement> {
        let open = self.advance();
        let closer = if open.kind == Tok::OpenUnescaped {
            Tok::CloseUnescaped
        } else {
            Tok::Close
        };
        let (call, _, close) = self.call_until(closer, false)?;
        let flag = open
            .text
            .chars()
            .nth(3)
            .or_else(|| open.text.chars().nth(2));
        Ok(Statement::Mustache(Mustache {
            call,
            escaped: flag != Some('{') && flag != Some('&'),
            decorator: open.text.contains('*'),
            strip: strip_flags(&open.text, &close.text),
            span: self.span(open.start, close.end),
        }))
    }

    /// `openBlock` / `openInverse` / `openInverseChain`.
    #[inline(never)]
    fn open(&mut self) -> PResult<Box<Open>> {
        let open = self.advance();
        let (call, block_params, close) = self.call_until(Tok::Close, true)?;
        Ok(Box::new(Open {
            call,
            block_params,
            strip: strip_flags(&open.text, &close.text),
            text: open.text,
        }))
    }

    /// `closeBlock: OPEN_ENDBLOCK helperName CLOSE`, validated against the opener.
    #[inline(never)]
    fn close_block(&mut self, opener: &Call, expected: Expect) -> PResult<Strip> {
        let open = self.expect(Tok::OpenEndBlock, expected)?;
        let name = self.helper_name()?;
        let close = self.expect(Tok::Close, Expect::of(&[Tok::Close, Tok::Sep]))?;
        let (ok, ck) = (original_of(&opener.head), original_of(&name));
        if ok != ck {
            let mut err = self.exception(
                format!("{} doesn't match {}", ok.1, ck.1),
                opener.head.span(),
            );
            err.message.push_str(&format!(
                "\nHint: `{{{{#{}}}}}` is closed by `{{{{/{}}}}}`; close blocks in the reverse order of opening.",
                ok.1, ck.1
            ));
            return Err(err);
        }
        Ok(strip_flags(&open.text, &close.text))
    }

    /// `block: openBlock program inverseChain? closeBlock | openInverse program inverseAndProgram? closeBlock`.
    ///
    /// This function and `program` recurse into each other once per nesting level, so they
    /// keep their frames small: the work happens in helpers that are not inlined and large
    /// values are boxed.
    #[inline(never)]
    fn block(&mut self) -> PResult<Box<Block>> {
        let start = self.peek_tok().start;
        self.enter(start)?;
        let inverted = self.peek() == Tok::OpenInverse;
        let open = self.open()?;
        self.push_open_block(&open.call, start);
        let program = Box::new(self.program(open.block_params.clone())?);
        let inverse = self.block_inverse(inverted)?;
        let close_strip = self.block_close(&open.call, &program, inverse.as_deref(), inverted)?;
        self.open_blocks.pop();
        self.leave();
        let span = self.span(start, self.prev_end());
        Ok(prepare_block(
            open,
            program,
            inverse,
            Some(close_strip),
            inverted,
            span,
        ))
    }

    #[inline(never)]
    fn push_open_block(&mut self, call: &Call, start: usize) {
        let span = self.span(start, start);
        self.open_blocks.push((original_of(&call.head).1, span));
    }

    #[inline(never)]
    fn block_inverse(&mut self, inverted: bool) -> PResult<Option<Box<InverseAndProgram>>> {
        Ok(match self.peek() {
            Tok::Inverse => Some(self.inverse_and_program()?),
            Tok::OpenInverseChain if !inverted => Some(self.inverse_chain()?),
            _ => None,
        })
    }

    #[inline(never)]
    fn block_close(
        &mut self,
        call: &Call,
        program: &Program,
        inverse: Option<&InverseAndProgram>,
        inverted: bool,
    ) -> PResult<Strip> {
        let expected = match inverse {
            Some(iap) if !iap.chain => {
                after_program(&[Tok::OpenEndBlock], iap.program.body.is_empty())
            }
            Some(_) => Expect::of(&[Tok::OpenEndBlock]),
            None if inverted => {
                after_program(&[Tok::Inverse, Tok::OpenEndBlock], program.body.is_empty())
            }
            None => after_program(
                &[Tok::OpenInverseChain, Tok::Inverse, Tok::OpenEndBlock],
                program.body.is_empty(),
            ),
        };
        self.close_block(call, expected)
    }

    /// `inverseAndProgram: INVERSE program`.
    #[inline(never)]
    fn inverse_and_program(&mut self) -> PResult<Box<InverseAndProgram>> {
        let tok = self.advance();
        let strip = strip_flags(&tok.text, &tok.text);
        let program = self.program(Vec::new())?;
        Ok(Box::new(InverseAndProgram {
            strip,
            program,
            chain: false,
        }))
    }

    /// `inverseChain: openInverseChain program inverseChain? | inverseAndProgram`.
    #[inline(never)]
    fn inverse_chain(&mut self) -> PResult<Box<InverseAndProgram>> {
        let start = self.peek_tok().start;
        self.enter(start)?;
        let open = self.open()?;
        let strip = open.strip;
        let program = Box::new(self.program(open.block_params.clone())?);
        let nested = self.block_inverse(false)?;
        self.leave();
        Ok(self.chain_program(start, strip, open, program, nested))
    }

    #[inline(never)]
    fn chain_program(
        &self,
        start: usize,
        strip: Strip,
        open: Box<Open>,
        program: Box<Program>,
        nested: Option<Box<InverseAndProgram>>,
    ) -> Box<InverseAndProgram> {
        let close_strip = nested.as_ref().map(|n| n.strip);
        let span = self.span(start, self.prev_end());
        let inner = prepare_block(open, program, nested, close_strip, false, span);
        let program = Program::new(vec![Statement::Block(inner)], Vec::new(), true, span);
        Box::new(InverseAndProgram {
            strip,
            program,
            chain: true,
        })
    }

    /// `rawBlock: openRawBlock content* END_RAW_BLOCK` (an empty body is accepted).
    #[inline(never)]
    fn raw_block(&mut self) -> PResult<Block> {
        let start = self.peek_tok().start;
        self.skip();
        self.enter(start)?;
        let (call, _, _) = self.call_until(Tok::CloseRawBlock, false)?;
        let body_start = self.peek_tok().start;
        let mut body = Vec::new();
        while self.peek() == Tok::Content {
            let t = self.advance();
            body.push(self.content(t));
        }
        let body_end = self.prev_end();
        let close = self.expect(
            Tok::EndRawBlock,
            Expect::of(&[Tok::Content, Tok::EndRawBlock]),
        )?;
        // `validateClose` compares with the closer's name, a string.
        let (kind, name) = original_of(&call.head);
        if kind != 0 || name != close.text {
            return Err(self.exception(
                format!("{name} doesn't match {}", close.text),
                call.head.span(),
            ));
        }
        self.leave();
        let program = Program::new(body, Vec::new(), false, self.span(body_start, body_end));
        Ok(Block {
            kind: BlockKind::Raw,
            call,
            program: Some(program),
            inverse: None,
            open_strip: Strip::default(),
            inverse_strip: Strip::default(),
            close_strip: Strip::default(),
            span: self.span(start, close.end),
        })
    }

    /// `partial: OPEN_PARTIAL partialName param* hash? CLOSE`.
    #[inline(never)]
    fn partial(&mut self) -> PResult<Statement> {
        let open = self.advance();
        let name = self.param()?;
        let (params, hash) = self.params_and_hash()?;
        let close = self.expect(Tok::Close, Expect::of(&[Tok::Close]))?;
        let span = self.span(open.start, close.end);
        if params.len() > 1 {
            return Err(self.partial_arguments_error(params.len(), span));
        }
        Ok(Statement::Partial(Partial {
            name,
            params,
            hash,
            strip: strip_flags(&open.text, &close.text),
            indent: None,
            span,
        }))
    }

    /// `partialBlock: openPartialBlock program closeBlock`.
    #[inline(never)]
    fn partial_block(&mut self) -> PResult<Box<Block>> {
        let open_tok = self.advance();
        let start = open_tok.start;
        self.enter(start)?;
        let head = self.param()?;
        let (params, hash) = self.params_and_hash()?;
        let close = self.expect(Tok::Close, Expect::of(&[Tok::Close]))?;
        let call = Call {
            head,
            params,
            hash,
            span: self.span(start, close.end),
        };
        self.open_blocks.push((
            format!("> {}", original_of(&call.head).1),
            self.span(start, start),
        ));
        if call.params.len() > 1 {
            return Err(self.partial_arguments_error(call.params.len(), call.span));
        }
        let program = self.program(Vec::new())?;
        let expected = after_program(&[Tok::OpenEndBlock], program.body.is_empty());
        let close_strip = self.close_block(&call, expected)?;
        self.open_blocks.pop();
        self.leave();
        Ok(Box::new(Block {
            kind: BlockKind::PartialBlock,
            call,
            program: Some(program),
            inverse: None,
            open_strip: strip_flags(&open_tok.text, &close.text),
            inverse_strip: Strip::default(),
            close_strip,
            span: self.span(start, self.prev_end()),
        }))
    }
}

/// `prepareBlock`. Takes boxes so that the recursive callers' frames stay small.
#[inline(never)]
#[allow(clippy::boxed_local)]
fn prepare_block(
    open: Box<Open>,
    mut program: Box<Program>,
    inverse_and_program: Option<Box<InverseAndProgram>>,
    close_strip: Option<Strip>,
    inverted: bool,
    span: Span,
) -> Box<Block> {
    let open = *open;
    let decorator = open.text.contains('*');
    program.block_params = open.block_params;
    let mut inverse = None;
    let mut inverse_strip = Strip::default();
    if let Some(iap) = inverse_and_program {
        let mut iap = *iap;
        if iap.chain {
            if let Some(Statement::Block(b)) = iap.program.body.first_mut() {
                b.close_strip = close_strip.unwrap_or_default();
            }
        }
        inverse_strip = iap.strip;
        inverse = Some(iap.program);
    }
    let program = *program;
    let (program, inverse) = if inverted {
        (inverse, Some(program))
    } else {
        (Some(program), inverse)
    };
    Box::new(Block {
        kind: if decorator {
            BlockKind::Decorator
        } else {
            BlockKind::Block
        },
        call: open.call,
        program,
        inverse,
        open_strip: open.strip,
        inverse_strip,
        close_strip: close_strip.unwrap_or_default(),
        span,
    })
}
