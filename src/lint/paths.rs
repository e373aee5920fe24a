//! Paths as written in the source text: their segments' positions (for fixes that replace one
//! segment), typo suggestions, and how to write a name as a segment.

use crate::template::is_id_char;

/// One segment of a path as written.
#[derive(Clone, Debug)]
pub(super) struct SegLoc {
    pub(super) start: usize,
    pub(super) end: usize,
    meta: bool,
}

/// Split the source text of a path (starting at byte `base`) into segments.
fn scan_path(text: &str, base: usize) -> Vec<SegLoc> {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'@'));
    let mut out: Vec<SegLoc> = Vec::new();
    while i < b.len() {
        let rest = text.get(i..).unwrap_or("");
        let (meta, len) = if rest.starts_with('[') {
            // `[literal]`, where `\]` does not close.
            let mut escaped = false;
            let mut len = rest.len();
            for (off, c) in rest.char_indices().skip(1) {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == ']' {
                    len = off + 1;
                    break;
                }
            }
            (false, len)
        } else if rest.starts_with("..") && matches!(b.get(i + 2), None | Some(b'/' | b'.')) {
            (true, 2)
        } else if rest.starts_with('.') && matches!(b.get(i + 1), None | Some(b'/')) {
            (true, 1)
        } else {
            // Separators are ASCII, so `len` is a char boundary.
            let len = rest.find(['.', '/', '[']).unwrap_or(rest.len()).max(1);
            let meta = rest.get(..len) == Some("this") && out.iter().all(|s| s.meta);
            (meta, len)
        };
        out.push(SegLoc {
            start: base + i,
            end: base + i + len,
            meta,
        });
        i += len;
        if matches!(b.get(i), Some(b'.' | b'/')) {
            i += 1;
        }
    }
    out
}

/// The non-meta segments of a path, which correspond to `PathExpr::parts`.
pub(super) fn part_locs(text: &str, base: usize) -> Vec<SegLoc> {
    scan_path(text, base)
        .into_iter()
        .filter(|s| !s.meta)
        .collect()
}

/// Levenshtein distance over characters, ignoring ASCII case.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest known name, if it is close enough to be a typo.
pub(super) fn suggest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = match name.chars().count() {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let d = if c.eq_ignore_ascii_case(name) {
            0
        } else {
            distance(name, c)
        };
        if d <= limit && best.map_or(true, |(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// How a name is written as a path segment.
pub(super) fn segment_text(name: &str) -> String {
    if !name.is_empty()
        && name.chars().all(is_id_char)
        && !matches!(name, "true" | "false" | "null" | "undefined" | "this")
        && !name.bytes().all(|b| b.is_ascii_digit())
    {
        name.to_string()
    } else {
        format!("[{}]", name.replace('\\', "\\\\").replace(']', "\\]"))
    }
}

pub(super) fn digit_index_len(s: &str) -> Option<usize> {
    let inner = s.strip_prefix('[')?;
    let n = inner.bytes().take_while(u8::is_ascii_digit).count();
    (n > 0 && inner.as_bytes().get(n) == Some(&b']')).then_some(n + 2)
}

/// Whether `s` starts with `[digits]`.
pub(super) fn is_digit_index(s: &str) -> bool {
    digit_index_len(s).is_some()
}

/// Scan back from `at` over a path (`a.b/c`, `@root.`, `../`) to its first byte.
pub(super) fn path_start_before(text: &str, at: usize) -> usize {
    let head = text.get(..at).unwrap_or("");
    let mut start = at;
    for (i, c) in head.char_indices().rev() {
        if is_id_char(c) || c == '.' || c == '/' || c == '@' {
            start = i;
        } else {
            break;
        }
    }
    start
}
