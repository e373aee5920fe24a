//! Human-readable reports of template diagnostics: a `file:line:column` header, the source line
//! with a caret line under the span, and the hint. Used by the `calhook lint` command and
//! exposed to JS as `formatDiagnostic`, so every front end shows findings the same way.
//!
//! ```
//! use calhook::template::excerpt::{format_report, span_at, Report};
//!
//! let source = "{\"who\": \"{{attendee.email}}\"}";
//! let report = Report {
//!     origin: Some("hook.hbs"),
//!     severity: "warning",
//!     code: "UNKNOWN_VARIABLE",
//!     message: "`attendee` is not a field.",
//!     span: Some(span_at(source, 9, 27)),
//!     help: Some("Use {{attendees.0.email}}"),
//! };
//! assert_eq!(
//!     format_report(source, &report),
//!     "hook.hbs:1:10: warning[UNKNOWN_VARIABLE]: `attendee` is not a field.\n  |\n1 | {\"who\": \"{{attendee.email}}\"}\n  |          ^^^^^^^^^^^^^^^^^^\n  = help: Use {{attendees.0.email}}\n"
//! );
//! ```

use super::error::{LineIndex, Span};
use std::fmt::Write;

/// The widest excerpt shown, in characters: longer lines (a minified template is one line) are
/// cut to a window around the span, marked with `…`.
pub const MAX_EXCERPT_CHARS: usize = 100;

/// Characters of context kept before the span when a long line is cut.
const CONTEXT_BEFORE: usize = 24;

/// One finding to report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Report<'a> {
    /// Where the source came from (a file name), printed before `:line:column`.
    pub origin: Option<&'a str>,
    /// `error`, `warning` or `info`.
    pub severity: &'a str,
    /// The stable code, e.g. `TEMPLATE_SYNTAX`.
    pub code: &'a str,
    /// What happens and what to do; may span several lines.
    pub message: &'a str,
    /// Where in the source, when known. `line` and `column` are printed as given; the
    /// excerpt is taken from the byte offsets.
    pub span: Option<Span>,
    /// A one-line suggestion (a fix's title), printed last.
    pub help: Option<&'a str>,
}

/// The span of bytes `start..end` of `source` with its line and column (in characters).
/// Offsets are clamped to the source and moved back to character boundaries, so any input
/// gives a valid span.
pub fn span_at(source: &str, start: usize, end: usize) -> Span {
    let start = floor_boundary(source, start);
    let end = floor_boundary(source, end).max(start);
    LineIndex::new(source).span(start, end)
}

/// The full report: the header line, the excerpt, the message's further lines and the help.
pub fn format_report(source: &str, report: &Report<'_>) -> String {
    let mut out = String::new();
    if let Some(origin) = report.origin {
        out.push_str(&printable(origin));
        out.push(':');
    }
    if let Some(span) = report.span {
        let _ = write!(out, "{}:{}:", span.line, span.column);
    }
    if !out.is_empty() {
        out.push(' ');
    }
    let mut lines = message_lines(report.message).into_iter();
    let _ = writeln!(
        out,
        "{}[{}]: {}",
        printable(report.severity),
        printable(report.code),
        printable(lines.next().unwrap_or(""))
    );
    let text = report
        .span
        .map(|span| excerpt(source, span))
        .unwrap_or_default();
    let gutter = text.find('|').unwrap_or(2);
    out.push_str(&text);
    for line in lines {
        let _ = writeln!(out, "{:gutter$}| {}", "", printable(line));
    }
    if let Some(help) = report.help {
        let _ = writeln!(out, "{:gutter$}= help: {}", "", printable(help));
    }
    out
}

/// The message's lines, without the two-line excerpt of handlebars' parse errors
/// (`Parse error on line N:`, the source, `----^`): the report shows its own.
fn message_lines(message: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = message.lines().collect();
    let handlebars_excerpt = lines
        .first()
        .is_some_and(|l| l.starts_with("Parse error on line "))
        && lines
            .get(2)
            .is_some_and(|l| l.ends_with('^') && l.trim_end_matches('^').chars().all(|c| c == '-'));
    if handlebars_excerpt {
        lines.drain(1..3);
    }
    lines
}

/// The source line holding `span.start` with carets under the span (to the end of that line
/// when the span goes on), in a gutter numbered with the line:
///
/// ```text
///   |
/// 3 |   "who": "{{payload.attendees[0].email}}"
///   |             ^^^^^^^^^^^^^^^^^^^^^^^^^^
/// ```
///
/// Control characters, tabs and bidirectional-override characters are shown as `�` or a space
/// (one column each), so a hostile template cannot move the carets or drive the terminal.
pub fn excerpt(source: &str, span: Span) -> String {
    let start = floor_boundary(source, span.start);
    let end = floor_boundary(source, span.end).max(start);
    let line_start = source[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find(['\n', '\r'])
        .map_or(source.len(), |i| start + i);
    let line_no = LineIndex::new(source).span(start, start).line;

    let line: Vec<char> = source[line_start..line_end].chars().collect();
    let caret_from = source[line_start..start].chars().count();
    let caret_len = source[start..end.min(line_end)].chars().count().max(1);

    // The window of the line that is shown, in characters.
    let (from, to) = window(line.len(), caret_from);
    let mut shown = String::new();
    if from > 0 {
        shown.push('…');
    }
    shown.extend(line[from..to].iter().map(|&c| display_char(c)));
    if to < line.len() {
        shown.push('…');
    }
    let pad = caret_from - from + usize::from(from > 0);
    let carets = caret_len.min(to.saturating_sub(caret_from).max(1));

    let number = line_no.to_string();
    let blank = " ".repeat(number.len());
    let mut out = String::new();
    let _ = writeln!(out, "{blank} |");
    let _ = writeln!(out, "{}", format!("{number} | {shown}").trim_end());
    let _ = writeln!(out, "{blank} | {}{}", " ".repeat(pad), "^".repeat(carets));
    out
}

/// The `[from, to)` character window of a line of `len` characters that keeps `at` visible.
fn window(len: usize, at: usize) -> (usize, usize) {
    if len <= MAX_EXCERPT_CHARS {
        return (0, len);
    }
    let from = at
        .saturating_sub(CONTEXT_BEFORE)
        .min(len - MAX_EXCERPT_CHARS);
    (from, from + MAX_EXCERPT_CHARS)
}

/// One display column per character: tabs become a space, invisible or terminal-controlling
/// characters `�`.
fn display_char(c: char) -> char {
    match c {
        '\t' => ' ',
        c if c.is_control() => '\u{FFFD}',
        // Bidirectional embeddings, overrides and isolates ("trojan source").
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => '\u{FFFD}',
        c => c,
    }
}

/// `text` with the same replacements, line breaks included (for one-line fields).
fn printable(text: &str) -> String {
    text.chars().map(display_char).collect()
}

fn floor_boundary(source: &str, at: usize) -> usize {
    let mut at = at.min(source.len());
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report<'a>(source: &str, start: usize, end: usize, message: &'a str) -> Report<'a> {
        Report {
            origin: None,
            severity: "error",
            code: "X",
            message,
            span: Some(span_at(source, start, end)),
            help: None,
        }
    }

    #[test]
    fn carets_sit_under_the_span_on_its_line() {
        let src = "line one\n  {{#if a}}x\nthree";
        let start = src.find("{{#if").unwrap();
        let text = excerpt(src, span_at(src, start, start + 9));
        assert_eq!(text, "  |\n2 |   {{#if a}}x\n  |   ^^^^^^^^^\n");
    }

    #[test]
    fn empty_span_gets_one_caret_and_end_of_input_works() {
        let src = "{{#if a}}x";
        assert_eq!(
            excerpt(src, span_at(src, 10, 10)),
            "  |\n1 | {{#if a}}x\n  |           ^\n"
        );
        assert_eq!(excerpt("", span_at("", 0, 0)), "  |\n1 |\n  | ^\n");
    }

    #[test]
    fn multi_line_spans_underline_to_the_end_of_the_first_line() {
        let src = "a {{#each x}}\n{{/each}}";
        let text = excerpt(src, span_at(src, 2, src.len()));
        assert_eq!(text, "  |\n1 | a {{#each x}}\n  |   ^^^^^^^^^^^\n");
    }

    #[test]
    fn every_line_break_kind_counts_and_gutter_widens() {
        let src = "1\r\n2\r3\n4\n5\n6\n7\n8\n9\n10 {{x}}";
        let start = src.find("{{x}}").unwrap();
        let text = excerpt(src, span_at(src, start, start + 5));
        assert_eq!(text, "   |\n10 | 10 {{x}}\n   |    ^^^^^\n");
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let src = format!("{}{{{{x}}}}{}", "a".repeat(500), "b".repeat(500));
        let text = excerpt(&src, span_at(&src, 500, 505));
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].starts_with("1 | …aaaa"), "{}", lines[1]);
        assert!(lines[1].ends_with("bbb…"));
        assert_eq!(
            lines[1].chars().count(),
            "1 | ".len() + MAX_EXCERPT_CHARS + 2
        );
        let caret_col = lines[2].find('^').unwrap();
        assert_eq!(&lines[1][caret_col + 2..caret_col + 7], "{{x}}"); // `…` is 3 bytes, 1 column
        assert_eq!(lines[2].matches('^').count(), 5);
    }

    #[test]
    fn control_and_bidi_characters_cannot_move_carets_or_reach_the_terminal() {
        let src = "\t\u{1b}[31m\u{202E}{{x}}";
        let start = src.find("{{x}}").unwrap();
        let out = format_report(src, &report(src, start, start + 5, "bad\u{1b}[0m"));
        assert!(!out.contains('\u{1b}') && !out.contains('\u{202E}') && !out.contains('\t'));
        let lines: Vec<&str> = out.lines().collect();
        let shown: Vec<char> = lines[2].chars().collect();
        let carets: Vec<char> = lines[3].chars().collect();
        let at = carets.iter().position(|&c| c == '^').unwrap();
        assert_eq!(shown[at], '{');
    }

    #[test]
    fn multibyte_text_and_offsets_inside_characters_are_safe() {
        let src = "é€😀 {{x}}";
        let start = src.find("{{x}}").unwrap();
        let text = excerpt(src, span_at(src, start, start + 5));
        assert_eq!(text, "  |\n1 | é€😀 {{x}}\n  |     ^^^^^\n");
        // An offset inside `€` snaps back to its start.
        let span = span_at(src, 3, 4);
        assert_eq!((span.start, span.end, span.column), (2, 2, 2));
        // Offsets past the end are clamped.
        assert_eq!(span_at(src, 999, 5).start, src.len());
    }

    #[test]
    fn handlebars_own_excerpt_is_left_out_of_parse_errors() {
        let src = "{{#if a}}x";
        let err = crate::template::compile(src, &Default::default()).unwrap_err();
        let span = err.span.unwrap();
        let out = format_report(src, &report(src, span.start, span.end, &err.message));
        assert!(out.starts_with("1:11: error[X]: Parse error on line 1:\n  |\n1 | {{#if a}}x\n  |           ^\n  | Expecting "), "{out}");
        assert!(!out.contains("---"), "{out}");
    }

    #[test]
    fn report_has_header_message_lines_and_help() {
        let src = "{{#if a}}x";
        let mut r = report(src, 10, 10, "Parse error\nHint: add `{{/if}}`.");
        r.origin = Some("t.hbs");
        r.help = Some("Close it");
        assert_eq!(
            format_report(src, &r),
            "t.hbs:1:11: error[X]: Parse error\n  |\n1 | {{#if a}}x\n  |           ^\n  | Hint: add `{{/if}}`.\n  = help: Close it\n"
        );
        r.span = None;
        r.help = None;
        assert_eq!(
            format_report(src, &r),
            "t.hbs: error[X]: Parse error\n  | Hint: add `{{/if}}`.\n"
        );
        r.origin = None;
        assert_eq!(
            format_report(src, &r),
            "error[X]: Parse error\n  | Hint: add `{{/if}}`.\n"
        );
    }
}
