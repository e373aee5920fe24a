//! `JSON.stringify(JSON.parse(text))` written straight from the text, for the common case.
//!
//! Cal.com's sender re-serializes every rendered JSON template. Building the value only to
//! write it out again cost as much as rendering; for text that is valid JSON and in which
//! re-serializing changes nothing but whitespace, escapes and number spellings, this writes the
//! same bytes in one pass. Whatever it cannot vouch for — invalid JSON (the body is then
//! `false`), array-index keys (JS moves them first), duplicate keys (the last value wins at the
//! first position), lone surrogates, deep nesting, objects with many keys — it leaves to the
//! parser (`None`), which gives the exact answer or error.

use crate::json::tape::number_end;
use crate::json::{parse_f64, write_number, write_string};

/// Nesting deeper than this is left to the parser (which enforces the depth limit).
const MAX_DEPTH: usize = 64;
/// Objects with more keys than this are left to the parser: duplicates are searched linearly,
/// so this bounds the work per key.
const MAX_KEYS: usize = 32;

/// `JSON.stringify(JSON.parse(text))` when the text is JSON that this pass can vouch for;
/// `None` otherwise (the caller parses).
pub(super) fn reserialize(text: &str) -> Option<String> {
    let mut w = Writer {
        text,
        i: 0,
        out: String::with_capacity(text.len()),
        keys: Vec::new(),
        scratch: String::new(),
    };
    w.ws();
    w.value(0)?;
    w.ws();
    (w.i == text.len()).then_some(w.out)
}

struct Writer<'t> {
    text: &'t str,
    i: usize,
    out: String,
    /// Output ranges of the keys of the objects being written (each object's from where it
    /// started), to find duplicates.
    keys: Vec<(usize, usize)>,
    /// Decoded text of a string with escapes.
    scratch: String,
}

impl Writer<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.i).copied()
    }

    /// JSON whitespace: space, tab, line feed, carriage return.
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek() == Some(b)).then(|| self.i += 1)
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => self.string(),
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        let rest = self.text.get(self.i..)?;
        if !rest.starts_with(word) {
            return None;
        }
        self.i += word.len();
        self.out.push_str(word);
        Some(())
    }

    fn object(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let base = self.keys.len();
        self.items(b'}', |w| w.member(base, depth))?;
        self.keys.truncate(base);
        Some(())
    }

    /// A member of the object whose keys start at `keys[base]`: a key that is neither an array
    /// index (JS would move it first) nor a duplicate (JS keeps the first position, the last
    /// value), `:`, the value.
    fn member(&mut self, base: usize, depth: usize) -> Option<()> {
        if self.peek() != Some(b'"') || self.keys.len() - base >= MAX_KEYS {
            return None;
        }
        let start = self.out.len();
        self.string()?;
        let end = self.out.len();
        let key = self.out.get(start + 1..end - 1)?;
        if crate::json::is_array_index(key) {
            return None;
        }
        let seen = self.keys.get(base..)?;
        if seen
            .iter()
            .any(|&(s, e)| self.out.get(s..e) == self.out.get(start..end))
        {
            return None;
        }
        self.keys.push((start, end));
        self.ws();
        self.eat(b':')?;
        self.out.push(':');
        self.ws();
        self.value(depth)
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.items(b']', |w| w.value(depth))
    }

    /// The container opening at `i`: its items, each written by `item`, separated by commas,
    /// until `close` (`}` or `]`), without the whitespace around them.
    #[inline(always)]
    fn items(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        let open = self.peek()?;
        self.i += 1;
        self.out.push(char::from(open));
        self.ws();
        if self.eat(close).is_some() {
            self.out.push(char::from(close));
            return Some(());
        }
        loop {
            item(self)?;
            self.ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.out.push(',');
                    self.ws();
                }
                b if b == close => {
                    self.i += 1;
                    self.out.push(char::from(close));
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A string literal at `"`: copied as is when it has no escapes (JSON.stringify would
    /// write it the same), else decoded and written as JSON.stringify escapes.
    fn string(&mut self) -> Option<()> {
        let bytes = self.text.as_bytes();
        let start = self.i + 1;
        let mut j = start;
        loop {
            match *bytes.get(j)? {
                b'"' => {
                    self.out.push_str(self.text.get(self.i..=j)?);
                    self.i = j + 1;
                    return Some(());
                }
                b'\\' => break,
                0..=0x1f => return None,
                _ => j += 1,
            }
        }
        let mut decoded = std::mem::take(&mut self.scratch);
        decoded.clear();
        let result = self.decode(start, &mut decoded);
        if result.is_some() {
            write_string(&mut self.out, &decoded);
        }
        self.scratch = decoded;
        result
    }

    /// Decode the string whose content starts at `start` into `out`; leaves `i` after it.
    fn decode(&mut self, start: usize, out: &mut String) -> Option<()> {
        let bytes = self.text.as_bytes();
        let mut j = start;
        let mut run = start;
        loop {
            match *bytes.get(j)? {
                b'"' => {
                    out.push_str(self.text.get(run..j)?);
                    self.i = j + 1;
                    return Some(());
                }
                b'\\' => {
                    out.push_str(self.text.get(run..j)?);
                    let c = match *bytes.get(j + 1)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let (c, len) = self.unicode_escape(j)?;
                            out.push(c);
                            j += len;
                            run = j;
                            continue;
                        }
                        _ => return None,
                    };
                    out.push(c);
                    j += 2;
                    run = j;
                }
                0..=0x1f => return None,
                _ => j += 1,
            }
        }
    }

    /// The character of `\uXXXX` (or a surrogate pair of two) at `j`, and the escape's length.
    /// `None` for a lone surrogate (left to the parser).
    fn unicode_escape(&self, j: usize) -> Option<(char, usize)> {
        let unit = |at: usize| -> Option<u32> {
            let hex = self.text.get(at + 2..at + 6)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            u32::from_str_radix(hex, 16).ok()
        };
        let first = unit(j)?;
        match first {
            0xD800..=0xDBFF => {
                if self.text.get(j + 6..j + 8) != Some("\\u") {
                    return None;
                }
                let second = unit(j + 6)?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                Some((char::from_u32(c)?, 12))
            }
            0xDC00..=0xDFFF => None,
            _ => Some((char::from_u32(first)?, 6)),
        }
    }

    /// A number: short integers copied as they are (JS prints them the same), anything else
    /// read as a double and printed as `Number#toString` does.
    fn number(&mut self) -> Option<()> {
        let start = self.i;
        let end = number_end(self.text.as_bytes(), start)?;
        let token = self.text.get(start..end)?;
        self.i = end;
        let magnitude = token.strip_prefix('-').unwrap_or(token);
        let plain = magnitude.bytes().all(|d| d.is_ascii_digit());
        if plain && magnitude.len() <= 15 && token != "-0" {
            self.out.push_str(token);
            return Some(());
        }
        let n = parse_f64(token)?;
        if n.is_finite() {
            write_number(&mut self.out, n);
        } else {
            self.out.push_str("null");
        }
        Some(())
    }
}

#[cfg(test)]
mod tests;
