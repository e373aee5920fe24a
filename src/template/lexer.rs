//! The lexer: a port of handlebars' jison lexer (`handlebars.l`, 4.7.10), rule by rule and in
//! the same order (jison takes the first rule that matches, not the longest).
//!
//! Tokens are produced eagerly. A lexical error becomes a final [`Tok::LexError`] token so that
//! the parser reports it only when it gets there, as handlebars' lazy lexer does.

use super::Dialect;

/// Token kinds, named like handlebars' terminals (the names appear in parse errors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Content,
    Comment,
    OpenRawBlock,
    CloseRawBlock,
    EndRawBlock,
    OpenBlock,
    OpenInverse,
    OpenInverseChain,
    Inverse,
    OpenEndBlock,
    Open,
    OpenUnescaped,
    CloseUnescaped,
    Close,
    OpenPartial,
    OpenPartialBlock,
    OpenSexpr,
    CloseSexpr,
    Id,
    Equals,
    OpenBlockParams,
    CloseBlockParams,
    Str,
    Number,
    Boolean,
    Undefined,
    Null,
    Data,
    Sep,
    Eof,
    Invalid,
    LexError,
}

impl Tok {
    /// The terminal name handlebars prints.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Tok::Content => "CONTENT",
            Tok::Comment => "COMMENT",
            Tok::OpenRawBlock => "OPEN_RAW_BLOCK",
            Tok::CloseRawBlock => "CLOSE_RAW_BLOCK",
            Tok::EndRawBlock => "END_RAW_BLOCK",
            Tok::OpenBlock => "OPEN_BLOCK",
            Tok::OpenInverse => "OPEN_INVERSE",
            Tok::OpenInverseChain => "OPEN_INVERSE_CHAIN",
            Tok::Inverse => "INVERSE",
            Tok::OpenEndBlock => "OPEN_ENDBLOCK",
            Tok::Open => "OPEN",
            Tok::OpenUnescaped => "OPEN_UNESCAPED",
            Tok::CloseUnescaped => "CLOSE_UNESCAPED",
            Tok::Close => "CLOSE",
            Tok::OpenPartial => "OPEN_PARTIAL",
            Tok::OpenPartialBlock => "OPEN_PARTIAL_BLOCK",
            Tok::OpenSexpr => "OPEN_SEXPR",
            Tok::CloseSexpr => "CLOSE_SEXPR",
            Tok::Id => "ID",
            Tok::Equals => "EQUALS",
            Tok::OpenBlockParams => "OPEN_BLOCK_PARAMS",
            Tok::CloseBlockParams => "CLOSE_BLOCK_PARAMS",
            Tok::Str => "STRING",
            Tok::Number => "NUMBER",
            Tok::Boolean => "BOOLEAN",
            Tok::Undefined => "UNDEFINED",
            Tok::Null => "NULL",
            Tok::Data => "DATA",
            Tok::Sep => "SEP",
            Tok::Eof => "EOF",
            Tok::Invalid => "INVALID",
            Tok::LexError => "INVALID",
        }
    }
}

/// A token: its kind, its (processed) text, and the byte range it was matched from.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub kind: Tok,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Initial,
    Mu,
    Emu,
    Com,
    Raw,
}

/// JavaScript `\s`.
pub(crate) fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// Characters an `ID` may contain.
pub(crate) fn is_id_char(c: char) -> bool {
    !(is_js_space(c)
        || matches!(
            c,
            '!' | '"'
                | '#'
                | '%'..=','
                | '.'
                | '/'
                | ';'..='>'
                | '@'
                | '['..='^'
                | '`'
                | '{'..='~'
        ))
}

/// `LOOKAHEAD`: what must follow an `ID` or a lone `.`.
fn is_lookahead(c: char) -> bool {
    matches!(c, '=' | '~' | '}' | '/' | '.' | ')' | '|') || is_js_space(c)
}

/// `LITERAL_LOOKAHEAD`: what must follow numbers and keywords.
fn is_literal_lookahead(c: char) -> bool {
    matches!(c, '~' | '}' | ')') || is_js_space(c)
}

/// Whether `s` starts with a character `pred` accepts (one copy of the UTF-8 decoding for
/// all the lexer's lookaheads; the lexer runs once per compile, so a call is cheap enough).
#[inline(never)]
fn first_is(s: &str, pred: fn(char) -> bool) -> bool {
    s.chars().next().is_some_and(pred)
}

/// `&s[at..]` (every index the lexer slices at is a char boundary; one out-of-line copy of the
/// check instead of a panic path at each use).
#[inline(never)]
fn from(s: &str, at: usize) -> &str {
    s.get(at..).unwrap_or("")
}

/// `&s[..at]`, as [`from`].
#[inline(never)]
fn until(s: &str, at: usize) -> &str {
    s.get(..at).unwrap_or("")
}

/// Byte offset of the first `pat` in `s` (`s.find(pat)` for the short ASCII delimiters the
/// lexer looks for, without core's generic two-way `StrSearcher` in the wasm): a scan for the
/// first byte, then a compare, so linear for these 2–5 byte patterns.
#[inline(never)]
pub(crate) fn find_ascii(s: &str, pat: &[u8]) -> Option<usize> {
    let (&first, tail) = pat.split_first()?;
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(k) = b.get(i..)?.iter().position(|&c| c == first) {
        let at = i + k;
        if b.get(at + 1..at + pat.len()) == Some(tail) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Length of the JS whitespace (`\s*`) at the start of `s`.
#[inline(never)]
fn space_len(s: &str) -> usize {
    s.find(|c: char| !is_js_space(c)).unwrap_or(s.len())
}

/// Length of the `ID` characters at the start of `s`.
#[inline(never)]
fn id_len(s: &str) -> usize {
    s.find(|c: char| !is_id_char(c)).unwrap_or(s.len())
}

/// JS `\w`, for `\b`.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

pub(crate) struct Lexer<'s> {
    src: &'s str,
    pos: usize,
    stack: Vec<State>,
    dialect: Dialect,
    tokens: Vec<Token>,
}

/// Lex the whole source. The last token is `Eof` or `LexError`.
pub(crate) fn tokenize(src: &str, dialect: Dialect) -> Vec<Token> {
    let mut lx = Lexer {
        src,
        pos: 0,
        stack: vec![State::Initial],
        dialect,
        tokens: Vec::new(),
    };
    lx.run();
    lx.tokens
}

impl<'s> Lexer<'s> {
    fn rest(&self) -> &'s str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn state(&self) -> State {
        self.stack.last().copied().unwrap_or(State::Initial)
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    /// One out-of-line copy of the token push (with the vector's growth) for every rule.
    #[inline(never)]
    fn push_tok(&mut self, kind: Tok, text: String, start: usize, end: usize) {
        self.tokens.push(Token {
            kind,
            text,
            start,
            end,
        });
    }

    #[inline(never)]
    fn push_state(&mut self, state: State) {
        self.stack.push(state);
    }

    /// Emit a token for the next `len` bytes.
    fn emit(&mut self, kind: Tok, len: usize) {
        let start = self.pos;
        let end = start + len;
        let text = self.src.get(start..end).unwrap_or("").to_string();
        self.push_tok(kind, text, start, end);
        self.pos = end;
    }

    fn run(&mut self) {
        loop {
            let done = match self.state() {
                State::Initial => self.lex_initial(),
                State::Emu => self.lex_emu(),
                State::Com => self.lex_com(),
                State::Raw => self.lex_raw(),
                State::Mu => self.lex_mu(),
            };
            if done {
                return;
            }
        }
    }

    fn lex_error(&mut self) -> bool {
        self.push_tok(Tok::LexError, String::new(), self.pos, self.pos);
        true
    }

    fn eof(&mut self) -> bool {
        self.push_tok(Tok::Eof, String::new(), self.pos, self.pos);
        true
    }

    /// `[^\x00]*?/("{{")` and `[^\x00]+`.
    fn lex_initial(&mut self) -> bool {
        let rest = self.rest();
        if rest.is_empty() {
            return self.eof();
        }
        // Only the text up to the next `{{` is examined, so lexing stays linear.
        let open = find_ascii(rest, b"{{");
        let text_end = open.unwrap_or(rest.len());
        match until(rest, text_end).find('\0') {
            Some(0) => self.lex_error(),
            Some(nul) => {
                self.emit(Tok::Content, nul);
                false
            }
            None if open.is_none() => {
                self.emit(Tok::Content, rest.len());
                false
            }
            None => {
                let start = self.pos;
                let mut text = until(rest, text_end);
                if text.ends_with("\\\\") {
                    text = until(text, text.len() - 1);
                    self.push_state(State::Mu);
                } else if text.ends_with('\\') {
                    text = until(text, text.len() - 1);
                    self.push_state(State::Emu);
                } else {
                    self.push_state(State::Mu);
                }
                if !text.is_empty() {
                    self.push_tok(Tok::Content, text.to_string(), start, start + text_end);
                }
                self.pos = start + text_end;
                false
            }
        }
    }

    /// `[^\x00]{2,}?/("{{"|"\\{{"|"\\\\{{"|<<EOF>>)`.
    fn lex_emu(&mut self) -> bool {
        let rest = self.rest();
        let mut count = 0;
        for (i, c) in rest.char_indices() {
            if count >= 2 {
                let tail = from(rest, i);
                if tail.starts_with("{{") || tail.starts_with("\\{{") || tail.starts_with("\\\\{{")
                {
                    self.emit(Tok::Content, i);
                    self.pop();
                    return false;
                }
            }
            if c == '\0' {
                return self.lex_error();
            }
            count += 1;
        }
        if count >= 2 {
            self.emit(Tok::Content, rest.len());
            self.pop();
            return false;
        }
        self.lex_error()
    }

    /// `[\s\S]*?"--"{RIGHT_STRIP}?"}}"`.
    fn lex_com(&mut self) -> bool {
        let rest = self.rest();
        for (i, _) in rest.char_indices() {
            let tail = from(rest, i);
            let len = if tail.starts_with("--}}") {
                4
            } else if tail.starts_with("--~}}") {
                5
            } else {
                continue;
            };
            self.emit(Tok::Comment, i + len);
            self.pop();
            return false;
        }
        self.lex_error()
    }

    /// Raw-block body: nested `{{{{x}}}}` openers and closers are content.
    fn lex_raw(&mut self) -> bool {
        let rest = self.rest();
        if let Some(after) = rest.strip_prefix("{{{{") {
            if after.chars().next().is_some_and(|c| c != '/') {
                self.push_state(State::Raw);
                self.emit(Tok::Content, 4);
                return false;
            }
            if let Some(name_len) = raw_close_name(after) {
                let start = self.pos;
                let len = 4 + 1 + name_len + 4;
                self.pop();
                if self.state() == State::Raw {
                    self.emit(Tok::Content, len);
                } else {
                    let name = from(until(after, 1 + name_len), 1);
                    self.push_tok(Tok::EndRawBlock, name.to_string(), start, start + len);
                    self.pos = start + len;
                }
                return false;
            }
        }
        // `[^\x00]+?/("{{{{")`
        let mut first = true;
        for (i, c) in rest.char_indices() {
            if !first && from(rest, i).starts_with("{{{{") {
                self.emit(Tok::Content, i);
                return false;
            }
            if c == '\0' {
                break;
            }
            first = false;
        }
        if rest.is_empty() {
            return self.eof();
        }
        self.lex_error()
    }

    fn lex_mu(&mut self) -> bool {
        let rest = self.rest();
        let Some(c) = rest.chars().next() else {
            return self.eof();
        };
        if let Some(done) = self.lex_mu_open(rest) {
            return done;
        }
        match c {
            '(' => return self.simple(Tok::OpenSexpr, 1),
            ')' => return self.simple(Tok::CloseSexpr, 1),
            '=' => return self.simple(Tok::Equals, 1),
            _ => {}
        }
        if rest.starts_with("..") {
            return self.simple(Tok::Id, 2);
        }
        if c == '.' && first_is(from(rest, 1), is_lookahead) {
            return self.simple(Tok::Id, 1);
        }
        if c == '.' || c == '/' {
            return self.simple(Tok::Sep, 1);
        }
        if is_js_space(c) {
            let len = space_len(rest);
            self.pos += len;
            return false;
        }
        if let Some(len) = close_len(rest) {
            let kind = if rest.starts_with('}') && len > 2 && !rest.starts_with("~") {
                Tok::CloseUnescaped
            } else {
                Tok::Close
            };
            self.emit(kind, len);
            self.pop();
            return false;
        }
        if c == '"' || c == '\'' {
            if let Some(len) = string_len(rest, c) {
                let start = self.pos;
                let inner = from(until(rest, len - 1), 1);
                let text = unescape_quote(inner, c);
                self.push_tok(Tok::Str, text, start, start + len);
                self.pos = start + len;
                return false;
            }
        }
        if c == '@' {
            return self.simple(Tok::Data, 1);
        }
        for (word, kind) in [
            ("true", Tok::Boolean),
            ("false", Tok::Boolean),
            ("undefined", Tok::Undefined),
            ("null", Tok::Null),
        ] {
            if rest.starts_with(word) && first_is(from(rest, word.len()), is_literal_lookahead) {
                return self.simple(kind, word.len());
            }
        }
        if let Some(len) = number_len(rest) {
            return self.simple(Tok::Number, len);
        }
        if let Some(after) = rest.strip_prefix("as") {
            let ws = space_len(after);
            if ws > 0 && from(after, ws).starts_with('|') {
                return self.simple(Tok::OpenBlockParams, 2 + ws + 1);
            }
        }
        if c == '|' {
            return self.simple(Tok::CloseBlockParams, 1);
        }
        let id_len = id_len(rest);
        if id_len > 0 {
            let ok = first_is(from(rest, id_len), is_lookahead)
                || (self.dialect == Dialect::Reference && is_index_segment(from(rest, id_len)));
            if ok {
                return self.simple(Tok::Id, id_len);
            }
        }
        if c == '[' {
            if let Some(len) = bracket_len(rest) {
                let start = self.pos;
                let text = unescape_bracket(until(rest, len));
                self.push_tok(Tok::Id, text, start, start + len);
                self.pos = start + len;
                return false;
            }
        }
        // No grammar rule accepts INVALID, so parsing fails at or before it: stop here rather
        // than lex (possibly quadratically) text that will never be parsed.
        self.emit(Tok::Invalid, c.len_utf8());
        self.eof()
    }

    fn simple(&mut self, kind: Tok, len: usize) -> bool {
        self.emit(kind, len);
        false
    }

    /// The `{{`-prefixed rules of the `mu` state (and `{{{{`, `}}}}`), in jison order.
    fn lex_mu_open(&mut self, rest: &str) -> Option<bool> {
        if rest.starts_with("{{{{") {
            return Some(self.simple(Tok::OpenRawBlock, 4));
        }
        if rest.starts_with("}}}}") {
            self.emit(Tok::CloseRawBlock, 4);
            self.pop();
            self.push_state(State::Raw);
            return Some(false);
        }
        let after = rest.strip_prefix("{{")?;
        let tilde = usize::from(after.starts_with('~'));
        let a = from(after, tilde);
        let base = 2 + tilde;
        if a.starts_with('>') {
            return Some(self.simple(Tok::OpenPartial, base + 1));
        }
        if a.starts_with("#>") {
            return Some(self.simple(Tok::OpenPartialBlock, base + 2));
        }
        if a.starts_with("#*") {
            return Some(self.simple(Tok::OpenBlock, base + 2));
        }
        if a.starts_with('#') {
            return Some(self.simple(Tok::OpenBlock, base + 1));
        }
        if a.starts_with('/') {
            return Some(self.simple(Tok::OpenEndBlock, base + 1));
        }
        // `{{^}}` (with optional whitespace and `~`)
        if let Some(b) = a.strip_prefix('^') {
            if let Some(len) = ws_tilde_close(b) {
                self.emit(Tok::Inverse, base + 1 + len);
                self.pop();
                return Some(false);
            }
        }
        let ws = space_len(a);
        let else_rest = from(a, ws).strip_prefix("else");
        if let Some(b) = else_rest {
            if let Some(len) = ws_tilde_close(b) {
                self.emit(Tok::Inverse, base + ws + 4 + len);
                self.pop();
                return Some(false);
            }
        }
        if a.starts_with('^') {
            return Some(self.simple(Tok::OpenInverse, base + 1));
        }
        if let Some(b) = else_rest {
            if !first_is(b, is_word) {
                return Some(self.simple(Tok::OpenInverseChain, base + ws + 4));
            }
        }
        if a.starts_with('{') {
            return Some(self.simple(Tok::OpenUnescaped, base + 1));
        }
        if a.starts_with('&') {
            return Some(self.simple(Tok::Open, base + 1));
        }
        if a.starts_with("!--") {
            // jison: unput, pop the mu state, lex the comment in the `com` state.
            self.pop();
            self.push_state(State::Com);
            return Some(false);
        }
        if let Some(b) = a.strip_prefix('!') {
            if let Some(end) = find_ascii(b, b"}}") {
                self.emit(Tok::Comment, base + 1 + end + 2);
                self.pop();
                return Some(false);
            }
        }
        let star = usize::from(a.starts_with('*'));
        Some(self.simple(Tok::Open, base + star))
    }
}

/// Length of `\s*~?}}` at the start of `s`.
fn ws_tilde_close(s: &str) -> Option<usize> {
    let ws = space_len(s);
    let t = from(s, ws);
    if t.starts_with("}}") {
        Some(ws + 2)
    } else if t.starts_with("~}}") {
        Some(ws + 3)
    } else {
        None
    }
}

/// `"}"{RIGHT_STRIP}?"}}"` (CLOSE_UNESCAPED) or `{RIGHT_STRIP}?"}}"` (CLOSE).
fn close_len(s: &str) -> Option<usize> {
    if s.starts_with("}}}") {
        Some(3)
    } else if s.starts_with("}~}}") {
        Some(4)
    } else if s.starts_with("~}}") {
        Some(3)
    } else if s.starts_with("}}") {
        Some(2)
    } else {
        None
    }
}

/// `{{{{/name}}}}` after the `{{{{`: length of `name`.
fn raw_close_name(after: &str) -> Option<usize> {
    let name = after.strip_prefix('/')?;
    let len = id_len(name);
    (len > 0 && from(name, len).starts_with("}}}}")).then_some(len)
}

/// A quoted string `"(\\"|[^"])*"` with JS backtracking: `\"` is content unless no closing
/// quote follows, in which case the last `\"` closes the string.
fn string_len(s: &str, quote: char) -> Option<usize> {
    let bytes = s.as_bytes();
    let q = quote as u8;
    let mut i = 1;
    let mut last_escaped_quote = None;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&q) {
            last_escaped_quote = Some(i + 1);
            i += 2;
            continue;
        }
        if bytes[i] == q {
            return Some(i + 1);
        }
        i += 1;
    }
    last_escaped_quote.map(|j| j + 1)
}

/// `\[(\\\]|[^\]])*\]` with the same backtracking rule as strings.
fn bracket_len(s: &str) -> Option<usize> {
    string_len_with(s, b']')
}

fn string_len_with(s: &str, close: u8) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 1;
    let mut last_escaped = None;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&close) {
            last_escaped = Some(i + 1);
            i += 2;
            continue;
        }
        if bytes[i] == close {
            return Some(i + 1);
        }
        i += 1;
    }
    last_escaped.map(|j| j + 1)
}

/// `inner.replace(/\\<quote>/g, <quote>)`: a backslash before the string's own quote goes.
fn unescape_quote(inner: &str, quote: char) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&quote) {
            continue;
        }
        out.push(c);
    }
    out
}

/// `yytext.replace(/\\([\\\]])/g, '$1')`.
fn unescape_bracket(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if n == '\\' || n == ']' {
                    out.push(n);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// `-?[0-9]+(?:\.[0-9]+)?` followed by `LITERAL_LOOKAHEAD` (with regex backtracking).
fn number_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == digits_start {
        return None;
    }
    let int_end = i;
    let follows = |at: usize| first_is(from(s, at), is_literal_lookahead);
    if b.get(i) == Some(&b'.') {
        let mut j = i + 1;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j > i + 1 && follows(j) {
            return Some(j);
        }
    }
    follows(int_end).then_some(int_end)
}

/// Reference dialect: `[digits]` directly after a path segment.
pub(crate) fn is_index_segment(s: &str) -> bool {
    let Some(inner) = s.strip_prefix('[') else {
        return false;
    };
    let digits = inner
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(inner.len());
    digits > 0 && from(inner, digits).starts_with(']')
}

#[cfg(test)]
mod tests {
    use super::{find_ascii, unescape_quote};

    #[test]
    fn find_ascii_is_str_find() {
        let hay = [
            "",
            "{",
            "{{",
            "a{b{{c",
            "{{{",
            "é{{",
            "}}}",
            "x}",
            "{{!-{{!--",
            "{{!--",
        ];
        for s in hay {
            for pat in ["{{", "}}", "{{!--", "&quot;"] {
                assert_eq!(find_ascii(s, pat.as_bytes()), s.find(pat), "{s:?} {pat:?}");
            }
        }
    }

    #[test]
    fn unescape_quote_is_str_replace() {
        for s in ["", "\\", "\\\"", "\\\\\"", "a\\'b\\\"", "\\\\", "é\\\"ü"] {
            assert_eq!(unescape_quote(s, '"'), s.replace("\\\"", "\""), "{s:?}");
            assert_eq!(unescape_quote(s, '\''), s.replace("\\'", "'"), "{s:?}");
        }
    }
}
