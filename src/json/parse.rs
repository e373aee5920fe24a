//! `JSON.parse`, exactly.
//!
//! The grammar is RFC 8259 as ECMAScript's `JSON.parse` implements it:
//! - whitespace is only SP, TAB, LF and CR (a BOM or NBSP around a value is an error);
//! - a raw U+0000–U+001F inside a string is an error; DEL, U+2028/2029 and emoji are fine;
//! - escapes are `\" \\ \/ \b \f \n \r \t \uXXXX`; a `\u` surrogate pair becomes one character;
//! - numbers become the correctly rounded IEEE double (`1E400` is Infinity, which
//!   [`stringify`](super::stringify) prints as `null`, like JS);
//! - a duplicate key keeps its first position and takes the last value; `__proto__` is an
//!   ordinary key.
//!
//! Documented difference: a lone surrogate escape (`"\ud800"`) becomes U+FFFD, because Rust
//! strings cannot hold it (JS keeps it and `JSON.stringify` prints `"\ud800"`).
//!
//! The parser is iterative (an explicit stack), so nesting never overflows the call stack; it
//! is bounded by [`ParseOptions::max_depth`] anyway, because dropping and rendering values
//! recurse.

use super::error::{JsonError, JsonErrorCode, LineCursor};
use super::value::{Object, Value};
use std::rc::Rc;

/// Default [`ParseOptions::max_depth`]: 512 nested arrays/objects.
///
/// V8 has no fixed limit (it fails on stack exhaustion at several thousand levels); 512 is far
/// beyond any webhook payload and keeps every recursive consumer of [`Value`] safe.
pub const DEFAULT_MAX_DEPTH: usize = 512;

/// Default [`ParseOptions::max_bytes`]: 16 MiB.
pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

/// Limits and extras for [`parse_with`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// Deepest allowed nesting of arrays/objects (`[[1]]` has depth 2). Deeper input fails
    /// with `JSON_DEPTH`.
    pub max_depth: usize,
    /// Longest allowed input, in bytes. Longer input fails with `JSON_SIZE`.
    pub max_bytes: usize,
    /// Record every duplicate key in [`Parsed::duplicates`].
    pub report_duplicates: bool,
}

impl Default for ParseOptions {
    fn default() -> ParseOptions {
        ParseOptions {
            max_depth: DEFAULT_MAX_DEPTH,
            max_bytes: DEFAULT_MAX_BYTES,
            report_duplicates: false,
        }
    }
}

/// A key that appeared more than once in the same object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// RFC 6901 JSON Pointer of the property (`/payload/attendees/0/email`); `""` is the root.
    pub pointer: String,
    /// The repeated key.
    pub key: String,
    /// Byte offset of the repeated occurrence's key.
    pub offset: usize,
    /// 1-based line of the repeated occurrence.
    pub line: usize,
    /// 1-based column (in characters) of the repeated occurrence.
    pub column: usize,
}

/// The result of [`parse_with`].
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The value `JSON.parse` returns.
    pub value: Value,
    /// Duplicate keys, in input order (empty unless [`ParseOptions::report_duplicates`]).
    pub duplicates: Vec<DuplicateKey>,
    /// True when `stringify(value)` re-parsed by JS gives exactly what JS `JSON.parse(text)`
    /// gives: false when a lone surrogate escape became U+FFFD, or a number is `-0` or out of
    /// range (`1e400`), which [`stringify`](super::stringify) prints as `0` / `null`.
    pub round_trips: bool,
}

/// `JSON.parse(text)` with the default limits.
///
/// ```
/// let v = calhook::json::parse(r#"{"b":1,"2":true,"a":[1.0,1e21],"b":null}"#).unwrap();
/// assert_eq!(calhook::json::stringify(&v), r#"{"2":true,"b":null,"a":[1,1e+21]}"#);
/// assert_eq!(calhook::json::parse("[1,]").unwrap_err().code().as_str(), "JSON_SYNTAX");
/// ```
pub fn parse(text: &str) -> Result<Value, JsonError> {
    parse_with(text, &ParseOptions::default()).map(|p| p.value)
}

/// `JSON.parse` of UTF-8 bytes with the default limits; invalid UTF-8 fails with `JSON_UTF8`.
/// A leading BOM is not stripped (JS `JSON.parse` rejects it).
pub fn parse_bytes(bytes: &[u8]) -> Result<Value, JsonError> {
    parse_bytes_with(bytes, &ParseOptions::default()).map(|p| p.value)
}

/// [`parse_bytes`] with explicit options.
pub fn parse_bytes_with(bytes: &[u8], options: &ParseOptions) -> Result<Parsed, JsonError> {
    if bytes.len() > options.max_bytes {
        return Err(size_error(bytes.len(), options.max_bytes));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_with(text, options),
        Err(e) => {
            let valid = e.valid_up_to();
            let prefix = std::str::from_utf8(bytes.get(..valid).unwrap_or(&[])).unwrap_or("");
            Err(JsonError::at(
                JsonErrorCode::Utf8,
                "invalid UTF-8 byte sequence",
                prefix,
                valid,
            ))
        }
    }
}

/// `JSON.parse(text)` with explicit options.
pub fn parse_with(text: &str, options: &ParseOptions) -> Result<Parsed, JsonError> {
    if text.len() > options.max_bytes {
        return Err(size_error(text.len(), options.max_bytes));
    }
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        options,
        duplicates: Vec::new(),
        lines: LineCursor::new(),
        scratch: String::new(),
        round_trips: true,
        shared: std::array::from_fn(|_| None),
    };
    let value = parser.run()?;
    Ok(Parsed {
        value,
        duplicates: parser.duplicates,
        round_trips: parser.round_trips,
    })
}

fn size_error(len: usize, max: usize) -> JsonError {
    JsonError {
        code: JsonErrorCode::Size,
        message: format!("input is {len} bytes, more than the limit of {max} bytes"),
        offset: max,
        line: 1,
        column: 1,
    }
}

enum Frame {
    Array(Vec<Value>),
    Object {
        object: Object,
        key: Rc<str>,
        key_offset: usize,
    },
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    options: &'a ParseOptions,
    duplicates: Vec<DuplicateKey>,
    /// Line and column of the last recorded duplicate, so the next is counted from there.
    lines: LineCursor,
    /// Reused buffer for strings with escapes.
    scratch: String,
    /// See [`Parsed::round_trips`].
    round_trips: bool,
    /// Recently seen short strings, by hash (see [`Parser::share`]).
    shared: [Option<Rc<str>>; SHARE_SLOTS],
}

/// Strings up to this many bytes are shared between equal occurrences.
const SHARE_MAX_LEN: usize = 32;
/// Size of the shared-string cache.
const SHARE_SLOTS: usize = 64;

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// A description of what is at `pos`, for messages.
    fn found(&self, pos: usize) -> String {
        match self.text.get(pos..).and_then(|s| s.chars().next()) {
            None => "end of input".to_string(),
            Some(c) => describe_char(c),
        }
    }

    fn error(&self, expected: &str) -> JsonError {
        self.error_at(expected, self.pos)
    }

    fn error_at(&self, expected: &str, pos: usize) -> JsonError {
        let what = format!("expected {expected}, found {}", self.found(pos));
        JsonError::at(JsonErrorCode::Syntax, &what, self.text, pos)
    }

    fn run(&mut self) -> Result<Value, JsonError> {
        let mut stack: Vec<Frame> = Vec::new();
        'value: loop {
            // Parse one value, or open a container and go parse its first element.
            self.skip_ws();
            let mut value = match self.peek() {
                Some(b'{') => {
                    self.enter(stack.len())?;
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        Value::object(Object::new())
                    } else {
                        let (key, key_offset) = self.member_key("a string key or '}'")?;
                        stack.push(Frame::Object {
                            object: Object::new(),
                            key,
                            key_offset,
                        });
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    self.enter(stack.len())?;
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        Value::array(Vec::new())
                    } else {
                        stack.push(Frame::Array(Vec::new()));
                        continue 'value;
                    }
                }
                Some(b'"') => Value::String(self.string()?),
                Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
                Some(b't') => self.literal("true", Value::Bool(true))?,
                Some(b'f') => self.literal("false", Value::Bool(false))?,
                Some(b'n') => self.literal("null", Value::Null)?,
                _ => return Err(self.error("a JSON value")),
            };
            // Attach the finished value to the enclosing containers, closing as many as end here.
            loop {
                match stack.last_mut() {
                    None => {
                        self.skip_ws();
                        if self.pos < self.bytes.len() {
                            return Err(self.error("end of input after the JSON value"));
                        }
                        return Ok(value);
                    }
                    Some(Frame::Array(items)) => {
                        items.push(value);
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                continue 'value;
                            }
                            Some(b']') => {
                                self.pos += 1;
                                let items = std::mem::take(items);
                                stack.pop();
                                value = Value::array(items);
                            }
                            _ => return Err(self.error("',' or ']' after an array element")),
                        }
                    }
                    Some(Frame::Object { object, key, .. }) => {
                        if object.insert_replacing(key.clone(), value)
                            && self.options.report_duplicates
                        {
                            // Rare: only now build the pointer (the stack still ends with
                            // this object and its key).
                            self.record_duplicate(&stack);
                        }
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                self.skip_ws();
                                let (k, offset) = self.member_key("a string key after ','")?;
                                if let Some(Frame::Object {
                                    key, key_offset, ..
                                }) = stack.last_mut()
                                {
                                    *key = k;
                                    *key_offset = offset;
                                }
                                continue 'value;
                            }
                            Some(b'}') => {
                                self.pos += 1;
                                let object = match stack.pop() {
                                    Some(Frame::Object { object, .. }) => object,
                                    _ => Object::new(), // unreachable: the top is this object
                                };
                                value = Value::object(object);
                            }
                            _ => return Err(self.error("',' or '}' after a property value")),
                        }
                    }
                }
            }
        }
    }

    /// Record the key of the innermost open object as a duplicate.
    fn record_duplicate(&mut self, stack: &[Frame]) {
        let Some(Frame::Object {
            key, key_offset, ..
        }) = stack.last()
        else {
            return;
        };
        let (line, column) = self.lines.advance(self.text, *key_offset);
        self.duplicates.push(DuplicateKey {
            pointer: pointer_of(stack),
            key: key.to_string(),
            offset: *key_offset,
            line,
            column,
        });
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth >= self.options.max_depth {
            let what = format!(
                "arrays/objects nest deeper than the limit of {}",
                self.options.max_depth
            );
            return Err(JsonError::at(
                JsonErrorCode::Depth,
                &what,
                self.text,
                self.pos,
            ));
        }
        Ok(())
    }

    /// `"key" :` (whitespace already skipped before the key).
    fn member_key(&mut self, expected: &str) -> Result<(Rc<str>, usize), JsonError> {
        if self.peek() != Some(b'"') {
            return Err(self.error(expected));
        }
        let offset = self.pos;
        let key = self.string()?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.error("':' after a property key"));
        }
        self.pos += 1;
        Ok((key, offset))
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, JsonError> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(value)
        } else {
            // Point at the first byte that differs.
            let mut at = self.pos;
            for (i, b) in word.bytes().enumerate() {
                if self.bytes.get(self.pos + i) != Some(&b) {
                    at = self.pos + i;
                    break;
                }
            }
            Err(self.error_at(&format!("'{word}'"), at))
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<f64, JsonError> {
        let n = self.number_literal()?;
        if (n == 0.0 && n.is_sign_negative()) || !n.is_finite() {
            self.round_trips = false;
        }
        Ok(n)
    }

    fn number_literal(&mut self) -> Result<f64, JsonError> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("a digit after '-'")),
        }
        // Fast path: an integer of at most 15 digits is exact as a double.
        if !matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            let digits = self
                .bytes
                .get(start + usize::from(negative)..self.pos)
                .unwrap_or_default();
            if digits.len() <= 15 {
                let n = digits
                    .iter()
                    .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'))
                    as f64;
                return Ok(if negative { -n } else { n });
            }
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("a digit in the exponent"));
            }
        }
        let literal = self.text.get(start..self.pos).unwrap_or("");
        // Correctly rounded for any number of digits, saturating to ±Infinity / ±0 on huge
        // exponents, like JS.
        super::parse_f64(literal).ok_or_else(|| self.error_at("a number", start))
    }

    /// Advance `pos` to the next `"`, `\\` or control character (or the end).
    fn skip_plain(&mut self) {
        self.pos = skip_plain(self.bytes, self.pos);
    }

    /// A string literal; `pos` is at the opening quote.
    fn string(&mut self) -> Result<Rc<str>, JsonError> {
        self.pos += 1;
        let start = self.pos;
        self.skip_plain();
        if self.peek() == Some(b'"') {
            // No escapes: the common case, one allocation straight from the input.
            // The run stops at ASCII bytes only, so both ends are char boundaries.
            let s = self.text.get(start..self.pos).unwrap_or("");
            self.pos += 1;
            return Ok(self.share(s));
        }
        let mut out = std::mem::take(&mut self.scratch);
        out.clear();
        out.push_str(self.text.get(start..self.pos).unwrap_or(""));
        let result = self.string_rest(&mut out);
        let s = result.map(|()| self.share(&out));
        self.scratch = out;
        s
    }

    /// `s` as an `Rc<str>`, shared with an earlier equal short string when the cache has it:
    /// keys (and values such as time zones) repeat across the items of an array, and a hit
    /// saves an allocation now and a free later. Strings are immutable, so sharing is invisible.
    fn share(&mut self, s: &str) -> Rc<str> {
        if s.len() > SHARE_MAX_LEN {
            return Rc::from(s);
        }
        // A cheap hash of the length and the first and last bytes: a collision only costs a miss.
        let bytes = s.as_bytes();
        let head = bytes
            .iter()
            .take(8)
            .fold(0u64, |h, &b| h << 8 | u64::from(b));
        let last = bytes.last().copied().map_or(0, u64::from);
        let hash = (head ^ (last << 56) ^ (bytes.len() as u64).wrapping_mul(0x9E37_79B9))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = (hash >> 58) as usize % SHARE_SLOTS;
        match self.shared.get_mut(slot) {
            Some(Some(rc)) if **rc == *s => rc.clone(),
            Some(entry) => {
                let rc: Rc<str> = Rc::from(s);
                *entry = Some(rc.clone());
                rc
            }
            None => Rc::from(s),
        }
    }

    /// The rest of a string literal after its first escape or stop, appended to `out`.
    fn string_rest(&mut self, out: &mut String) -> Result<(), JsonError> {
        loop {
            match self.peek() {
                None => return Err(self.error("'\"' to close the string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(out)?;
                }
                Some(_) => {
                    return Err(self.error(
                        "a string character (control characters must be escaped, e.g. \\n)",
                    ))
                }
            }
            let run_start = self.pos;
            self.skip_plain();
            // The run stops at ASCII bytes only, so both ends are char boundaries.
            out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
        }
    }

    /// After a backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4()?;
                let c = if (0xD800..0xDC00).contains(&unit) {
                    // A high surrogate: combine with a following \uDC00–\uDFFF escape.
                    let low = if self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
                        let save = self.pos;
                        self.pos += 2;
                        match self.hex4() {
                            Ok(low) if (0xDC00..0xE000).contains(&low) => Some(low),
                            _ => {
                                self.pos = save;
                                None
                            }
                        }
                    } else {
                        None
                    };
                    match low {
                        Some(low) => {
                            let cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                            char::from_u32(cp).unwrap_or('\u{FFFD}')
                        }
                        None => {
                            self.round_trips = false;
                            '\u{FFFD}'
                        }
                    }
                } else {
                    char::from_u32(unit).unwrap_or_else(|| {
                        self.round_trips = false;
                        '\u{FFFD}'
                    })
                };
                out.push(c);
                return Ok(());
            }
            _ => {
                return Err(self.error(
                    "an escape ('\"', '\\\\', '/', 'b', 'f', 'n', 'r', 't' or 'u') after '\\'",
                ))
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut unit = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.error("four hex digits after '\\u'")),
            };
            unit = unit * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(unit)
    }
}

/// The position of the first `"`, `\\` or control character at or after `pos` (or the end):
/// where a run of plain string characters stops.
pub(crate) fn skip_plain(bytes: &[u8], mut pos: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Eight bytes at a time (SWAR). Each test below flags a byte's high bit when the byte is a
    // quote / a backslash / below 0x20; a borrow can only flag bytes *after* a real hit, so the
    // lowest flagged byte is exact.
    while let Some(chunk) = bytes.get(pos..).and_then(|rest| rest.first_chunk::<8>()) {
        let v = u64::from_le_bytes(*chunk);
        let quote = v ^ (ONES * u64::from(b'"'));
        let backslash = v ^ (ONES * u64::from(b'\\'));
        let special = ((quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (v.wrapping_sub(ONES * 0x20) & !v))
            & HIGH;
        if special != 0 {
            return pos + (special.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    while let Some(&b) = bytes.get(pos) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        pos += 1;
    }
    pos
}

/// JSON Pointer of the property being parsed in the innermost open object.
fn pointer_of(stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        out.push('/');
        match frame {
            Frame::Array(items) => out.push_str(&items.len().to_string()),
            Frame::Object { key, .. } => push_pointer_token(&mut out, key),
        }
    }
    out
}

fn push_pointer_token(out: &mut String, token: &str) {
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

fn describe_char(c: char) -> String {
    match c {
        '\u{FEFF}' => "U+FEFF (byte order mark, not JSON whitespace)".to_string(),
        '\u{A0}' => "U+00A0 (no-break space, not JSON whitespace)".to_string(),
        '\n' => "a newline".to_string(),
        '\r' => "a carriage return".to_string(),
        '\t' => "a tab".to_string(),
        c if c.is_control() || c.is_whitespace() => format!("U+{:04X}", c as u32),
        c => format!("'{c}'"),
    }
}
