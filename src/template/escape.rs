//! Handlebars' `escapeExpression`: exactly seven characters are replaced.

/// Bytes that `escapeExpression` replaces.
const NEEDS_ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[b'`' as usize] = true;
    t[b'=' as usize] = true;
    t
};

/// Append `text` to `out`, replacing `& < > " ' \` =` as handlebars 4.7 does and nothing else.
#[inline]
pub fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // Most values (names, emails, ids) have nothing to escape: one copy.
    match bytes.iter().position(|&b| NEEDS_ESCAPE[usize::from(b)]) {
        None => out.push_str(text),
        Some(first) => escape_from(out, text, first),
    }
}

#[inline(never)]
fn escape_from(out: &mut String, text: &str, first: usize) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate().skip(first) {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            b'`' => "&#x60;",
            b'=' => "&#x3D;",
            _ => continue,
        };
        // All seven are ASCII, so `i` is a char boundary.
        out.push_str(text.get(last..i).unwrap_or_default());
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(text.get(last..).unwrap_or_default());
}

/// [`escape_into`] on bytes (UTF-8 text in, UTF-8 text out: only ASCII bytes are replaced).
#[inline]
pub(crate) fn escape_bytes_into(out: &mut Vec<u8>, text: &[u8]) {
    match text.iter().position(|&b| NEEDS_ESCAPE[usize::from(b)]) {
        None => out.extend_from_slice(text),
        Some(first) => escape_bytes_from(out, text, first),
    }
}

#[inline(never)]
fn escape_bytes_from(out: &mut Vec<u8>, text: &[u8], first: usize) {
    let mut last = 0;
    for (i, &b) in text.iter().enumerate().skip(first) {
        if !NEEDS_ESCAPE[usize::from(b)] {
            continue;
        }
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#x27;",
            b'`' => b"&#x60;",
            _ => b"&#x3D;",
        };
        out.extend_from_slice(text.get(last..i).unwrap_or_default());
        out.extend_from_slice(rep);
        last = i + 1;
    }
    out.extend_from_slice(text.get(last..).unwrap_or_default());
}

/// `escapeExpression` on a string.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escapes_exactly_seven_characters() {
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("plain text é"), "plain text é");
        assert_eq!(
            escape_html("a&b<c>d\"e'f`g=h/i"),
            "a&amp;b&lt;c&gt;d&quot;e&#x27;f&#x60;g&#x3D;h/i"
        );
        assert_eq!(escape_html("=é="), "&#x3D;é&#x3D;");
        for text in ["", "plain", "a&b<c>d\"e'f`g=h/i", "=é=", "😀<"] {
            let mut out = Vec::new();
            super::escape_bytes_into(&mut out, text.as_bytes());
            assert_eq!(String::from_utf8(out).unwrap(), escape_html(text));
        }
    }
}
