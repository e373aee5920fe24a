//! Errors of the JSON parser.

use crate::span::Span;
use std::fmt;

/// What went wrong, as a stable machine-readable code (see [`JsonErrorCode::as_str`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonErrorCode {
    /// The text is not JSON (`JSON.parse` would throw a `SyntaxError`).
    Syntax,
    /// Arrays/objects nest deeper than [`ParseOptions::max_depth`](super::ParseOptions).
    Depth,
    /// The text is longer than [`ParseOptions::max_bytes`](super::ParseOptions).
    Size,
    /// The bytes are not valid UTF-8.
    Utf8,
}

impl JsonErrorCode {
    /// The stable code: `JSON_SYNTAX`, `JSON_DEPTH`, `JSON_SIZE` or `JSON_UTF8`.
    pub fn as_str(&self) -> &'static str {
        match self {
            JsonErrorCode::Syntax => "JSON_SYNTAX",
            JsonErrorCode::Depth => "JSON_DEPTH",
            JsonErrorCode::Size => "JSON_SIZE",
            JsonErrorCode::Utf8 => "JSON_UTF8",
        }
    }
}

impl fmt::Display for JsonErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parse failure with its position.
///
/// `offset` is a byte offset into the input; `line` and `column` are 1-based, lines are
/// separated by `\n` and the column counts Unicode scalar values from the start of the line.
/// The message says what was expected and where, e.g.
/// `expected ',' or '}' after a property value, found '"' at line 1, column 10`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Machine-readable kind.
    pub code: JsonErrorCode,
    /// Human-readable explanation, including the position.
    pub message: String,
    /// Byte offset of the problem.
    pub offset: usize,
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column (in characters) of the problem.
    pub column: usize,
}

impl JsonError {
    /// What went wrong (`.as_str()` gives the stable string, e.g. `JSON_SYNTAX`).
    pub fn code(&self) -> JsonErrorCode {
        self.code
    }

    /// Where: an empty span at [`JsonError::offset`], with the error's line and column.
    pub fn span(&self) -> Span {
        Span {
            line: self.line,
            column: self.column,
            start: self.offset,
            end: self.offset,
        }
    }

    /// Build an error at `offset` of `text` (the valid UTF-8 prefix is enough), appending the
    /// position to `what`.
    pub(crate) fn at(code: JsonErrorCode, what: &str, text: &str, offset: usize) -> JsonError {
        let (line, column) = line_column(text, offset);
        JsonError {
            code,
            message: format!("{what} at line {line}, column {column}"),
            offset,
            line,
            column,
        }
    }
}

impl JsonError {
    /// The message with its column counted in UTF-16 code units (as JS indexes strings), for
    /// `text`, the input this error is about.
    pub fn message_utf16(&self, text: &[u8]) -> String {
        let (_, column16) = utf16_position(text, self.offset);
        let at = format!("line {}, column {}", self.line, self.column);
        match self.message.strip_suffix(&at) {
            Some(head) if column16 != self.column => {
                format!("{head}line {}, column {column16}", self.line)
            }
            _ => self.message.clone(),
        }
    }
}

/// The UTF-16 offset and 1-based UTF-16 column of byte `offset` of `body` (what a JS string
/// index of the same text would be: positions that reach JS are given so). Bytes before the
/// offset that are not UTF-8 (only possible at a `JSON_UTF8` error, which points at the first
/// bad byte) count one unit each.
pub fn utf16_position(body: &[u8], offset: usize) -> (usize, usize) {
    let before = body.get(..offset).unwrap_or(body);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let units = |bytes: &[u8]| -> usize {
        String::from_utf8_lossy(bytes)
            .chars()
            .map(char::len_utf16)
            .sum()
    };
    let line = before.get(line_start..).unwrap_or_default();
    (units(before), units(line) + 1)
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for JsonError {}

/// 1-based line and column (in chars) of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = text.get(..end).unwrap_or("");
    let line = 1 + before.bytes().filter(|&b| b == b'\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = 1 + before.get(line_start..).map_or(0, |s| s.chars().count());
    (line, column)
}

/// [`line_column`] for offsets met in increasing order, as a parser meets them: each call scans
/// only the text since the previous one. Recording thousands of positions on one long line (a
/// minified body full of duplicate keys) then stays linear instead of rescanning from the start.
#[derive(Clone, Debug)]
pub(crate) struct LineCursor {
    /// Byte offset (a char boundary) the line and column below belong to.
    offset: usize,
    line: usize,
    column: usize,
}

impl LineCursor {
    /// At the start of the text: line 1, column 1.
    pub(crate) fn new() -> Self {
        LineCursor {
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// The 1-based line and column (in chars) of byte `offset`, as [`line_column`] gives them.
    pub(crate) fn advance(&mut self, text: &str, offset: usize) -> (usize, usize) {
        let mut end = offset.min(text.len());
        while end > 0 && !text.is_char_boundary(end) {
            end -= 1;
        }
        if end < self.offset {
            // Out of order: count again from the start (never the case for one parser).
            *self = LineCursor::new();
        }
        let since = text.get(self.offset..end).unwrap_or("");
        match since.rfind('\n') {
            Some(last) => {
                self.line += since.bytes().filter(|&b| b == b'\n').count();
                self.column = 1 + since.get(last + 1..).map_or(0, |s| s.chars().count());
            }
            None => self.column += since.chars().count(),
        }
        self.offset = end;
        (self.line, self.column)
    }
}
