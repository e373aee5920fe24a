//! Source locations: the one span type of the crate ([`Span`]) and the byte-offset to
//! line/column map every parser uses. A leaf module, shared by the JSON parser, the template
//! engine and the linter.

/// A location in a source text (a template, a JSON body): the one position type of the crate.
///
/// `line` and `column` are 1-based; `column` counts characters (Unicode scalar values).
/// `start`/`end` are byte offsets into the source (the wasm layer converts them to UTF-16).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// 1-based line. Like handlebars (jison), `\n`, `\r\n` and a lone `\r` each end a line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

/// Maps byte offsets to line/column, counting line breaks as jison does.
///
/// Columns count characters. To keep that cheap on long lines (a minified template is one
/// line), the number of characters before every 256th byte is stored, so a lookup counts at
/// most 256 bytes.
pub(crate) struct LineIndex<'s> {
    source: &'s str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// Characters before byte `256 * i`.
    checkpoints: Vec<usize>,
}

const CHECKPOINT: usize = 256;

impl<'s> LineIndex<'s> {
    pub(crate) fn new(source: &'s str) -> Self {
        let bytes = source.as_bytes();
        let mut starts = vec![0];
        let mut checkpoints = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
        let mut chars = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if i % CHECKPOINT == 0 {
                checkpoints.push(chars);
            }
            if b & 0xC0 != 0x80 {
                chars += 1;
            }
            match b {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {}
                b'\r' | b'\n' => starts.push(i + 1),
                _ => {}
            }
        }
        checkpoints.push(chars);
        LineIndex {
            source,
            starts,
            checkpoints,
        }
    }

    /// Characters before byte offset `at`.
    fn chars_before(&self, at: usize) -> usize {
        let at = at.min(self.source.len());
        let block = at / CHECKPOINT;
        let base = self.checkpoints.get(block).copied().unwrap_or(0);
        let from = block * CHECKPOINT;
        let partial = self
            .source
            .as_bytes()
            .get(from..at)
            .map_or(0, |s| s.iter().filter(|&&b| b & 0xC0 != 0x80).count());
        base + partial
    }

    /// The span of bytes `start..end`.
    #[inline(never)]
    pub(crate) fn span(&self, start: usize, end: usize) -> Span {
        let line_idx = match self.starts.binary_search(&start) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.starts.get(line_idx).copied().unwrap_or(0);
        let column = self
            .chars_before(start)
            .saturating_sub(self.chars_before(line_start))
            + 1;
        Span {
            line: line_idx + 1,
            column,
            start,
            end,
        }
    }
}
