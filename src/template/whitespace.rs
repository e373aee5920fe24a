//! Whitespace control: a literal port of handlebars' `compiler/whitespace-control.js`
//! (4.7.10): `~` stripping and standalone lines.
//!
//! Whitespace *tests* look at a text node's original text; *removals* edit its current value.
//! Recursion follows block nesting, which the parser bounds.

use super::ast::{Block, Program, Statement, Strip};
use super::lexer::is_js_space;

#[derive(Default)]
struct StripInfo {
    open: bool,
    close: bool,
    open_standalone: bool,
    close_standalone: bool,
    inline_standalone: bool,
}

/// Apply whitespace control to a parsed template.
pub(crate) fn apply(program: &mut Program) {
    visit_program(program, true);
}

fn visit_program(program: &mut Program, is_root: bool) {
    let body = &mut program.body;
    for i in 0..body.len() {
        let strip = match &mut body[i] {
            Statement::Content(_) => continue,
            Statement::Mustache(m) => StripInfo {
                open: m.strip.open,
                close: m.strip.close,
                ..Default::default()
            },
            Statement::Block(b) => visit_block(b),
            Statement::Comment(c) => inline(c.strip),
            Statement::Partial(p) => inline(p.strip),
        };
        let prev_ws = is_prev_ws(body, Some(i), is_root);
        let next_ws = is_next_ws(body, Some(i), is_root);
        let open_standalone = strip.open_standalone && prev_ws;
        let close_standalone = strip.close_standalone && next_ws;
        let inline_standalone = strip.inline_standalone && prev_ws && next_ws;

        if strip.close {
            omit_right(body, Some(i), true);
        }
        if strip.open {
            omit_left(body, Some(i), true);
        }
        if inline_standalone {
            omit_right(body, Some(i), false);
            if omit_left(body, Some(i), false) {
                // A standalone partial indents its output like the line it replaced.
                let indent = match i.checked_sub(1).and_then(|j| body.get(j)) {
                    Some(Statement::Content(c)) => {
                        let trimmed = c.original.trim_end_matches([' ', '\t']);
                        c.original
                            .get(trimmed.len()..)
                            .map(str::to_string)
                            .filter(|s| !s.is_empty())
                    }
                    _ => None,
                };
                if let Some(Statement::Partial(p)) = body.get_mut(i) {
                    p.indent = indent;
                }
            }
        }
        if open_standalone {
            if let Statement::Block(b) = &mut body[i] {
                if let Some(p) = b.program.as_mut().or(b.inverse.as_mut()) {
                    omit_right(&mut p.body, None, false);
                }
            }
            omit_left(body, Some(i), false);
        }
        if close_standalone {
            omit_right(body, Some(i), false);
            if let Statement::Block(b) = &mut body[i] {
                if let Some(p) = b.inverse.as_mut().or(b.program.as_mut()) {
                    omit_left(&mut p.body, None, false);
                }
            }
        }
    }
}

fn inline(strip: Strip) -> StripInfo {
    StripInfo {
        open: strip.open,
        close: strip.close,
        inline_standalone: true,
        ..Default::default()
    }
}

/// The program a chain of `{{else if}}` leads to: `inverse.body[0].program`.
fn chained_first(p: &mut Program) -> Option<&mut Program> {
    match p.body.first_mut() {
        Some(Statement::Block(b)) => b.program.as_mut(),
        _ => None,
    }
}

fn chained_last_step(p: &mut Program) -> Option<&mut Program> {
    match p.body.last_mut() {
        Some(Statement::Block(b)) => b.program.as_mut(),
        _ => None,
    }
}

fn visit_block(block: &mut Block) -> StripInfo {
    if let Some(p) = block.program.as_mut() {
        visit_program(p, false);
    }
    if let Some(p) = block.inverse.as_mut() {
        visit_program(p, false);
    }
    let has_program = block.program.is_some();
    let open_strip = block.open_strip;
    let close_strip = block.close_strip;
    let inverse_strip = block.inverse_strip;

    // `program = block.program || block.inverse`, `inverse = block.program && block.inverse`.
    let (program, inverse) = if has_program {
        (block.program.as_mut(), block.inverse.as_mut())
    } else {
        (block.inverse.as_mut(), None)
    };
    let Some(program) = program else {
        return StripInfo {
            open: open_strip.open,
            close: close_strip.close,
            ..Default::default()
        };
    };
    let chained = inverse.as_ref().is_some_and(|inv| inv.chained);

    let open_standalone = is_next_ws(&program.body, None, false);
    let close_standalone = match inverse {
        Some(ref inv) if !chained => is_prev_ws(&inv.body, None, false),
        Some(ref inv) => match inv.body.first() {
            Some(Statement::Block(b)) => b
                .program
                .as_ref()
                .is_some_and(|fp| is_prev_ws(&fp.body, None, false)),
            _ => is_prev_ws(&program.body, None, false),
        },
        None => is_prev_ws(&program.body, None, false),
    };
    let strip = StripInfo {
        open: open_strip.open,
        close: close_strip.close,
        open_standalone,
        close_standalone,
        inline_standalone: false,
    };

    if open_strip.close {
        omit_right(&mut program.body, None, true);
    }
    match inverse {
        Some(inv) => {
            if inverse_strip.open {
                omit_left(&mut program.body, None, true);
            }
            if inverse_strip.close {
                if let Some(first) = first_inverse(inv, chained) {
                    omit_right(&mut first.body, None, true);
                }
            }
            if close_strip.open {
                if let Some(last) = last_inverse(inv) {
                    omit_left(&mut last.body, None, true);
                }
            }
            let prev = is_prev_ws(&program.body, None, false);
            let next =
                first_inverse(inv, chained).is_some_and(|f| is_next_ws(&f.body, None, false));
            if prev && next {
                omit_left(&mut program.body, None, false);
                if let Some(first) = first_inverse(inv, chained) {
                    omit_right(&mut first.body, None, false);
                }
            }
        }
        None => {
            if close_strip.open {
                omit_left(&mut program.body, None, true);
            }
        }
    }
    strip
}

fn first_inverse(inv: &mut Program, chained: bool) -> Option<&mut Program> {
    if chained {
        chained_first(inv)
    } else {
        Some(inv)
    }
}

fn last_inverse(mut inv: &mut Program) -> Option<&mut Program> {
    // The chain is at most as deep as the block nesting, which the parser bounds.
    while inv.chained {
        inv = chained_last_step(inv)?;
    }
    Some(inv)
}

/// Does the maximal trailing whitespace run of `s` contain a `\n`?
fn trailing_ws_has_newline(s: &str) -> bool {
    let trimmed = s.trim_end_matches(is_js_space);
    s.as_bytes()
        .get(trimmed.len()..)
        .is_some_and(|t| t.contains(&b'\n'))
}

/// Does the maximal leading whitespace run of `s` contain a `\n`?
fn leading_ws_has_newline(s: &str) -> bool {
    let trimmed = s.trim_start_matches(is_js_space);
    s.as_bytes()
        .get(..s.len() - trimmed.len())
        .is_some_and(|t| t.contains(&b'\n'))
}

fn all_ws(s: &str) -> bool {
    s.chars().all(is_js_space)
}

/// `isPrevWhitespace(body, i, isRoot)`; `i == None` means "after the last node".
fn is_prev_ws(body: &[Statement], i: Option<usize>, is_root: bool) -> bool {
    let i = i.unwrap_or(body.len());
    let Some(prev) = i.checked_sub(1).and_then(|j| body.get(j)) else {
        return is_root;
    };
    let has_sibling = i.checked_sub(2).and_then(|j| body.get(j)).is_some();
    match prev {
        // `/\r?\n\s*?$/`, or for the first node of the root `/(^|\r?\n)\s*?$/`.
        Statement::Content(c) => {
            trailing_ws_has_newline(&c.original) || (!has_sibling && is_root && all_ws(&c.original))
        }
        _ => false,
    }
}

/// `isNextWhitespace(body, i, isRoot)`; `i == None` means "before the first node".
fn is_next_ws(body: &[Statement], i: Option<usize>, is_root: bool) -> bool {
    let next_idx = i.map_or(0, |i| i + 1);
    let Some(next) = body.get(next_idx) else {
        return is_root;
    };
    let has_sibling = body.get(next_idx + 1).is_some();
    match next {
        // `/^\s*?\r?\n/`, or for the last node of the root `/^\s*?(\r?\n|$)/`.
        Statement::Content(c) => {
            leading_ws_has_newline(&c.original) || (!has_sibling && is_root && all_ws(&c.original))
        }
        _ => false,
    }
}

/// `omitRight`: strip the start of the node after `i` (or the first node).
fn omit_right(body: &mut [Statement], i: Option<usize>, multiple: bool) {
    let idx = i.map_or(0, |i| i + 1);
    let Some(Statement::Content(c)) = body.get_mut(idx) else {
        return;
    };
    if !multiple && c.right_stripped {
        return;
    }
    let new = if multiple {
        c.value.trim_start_matches(is_js_space).to_string()
    } else {
        // `/^[ \t]*\r?\n?/`
        let s = c.value.trim_start_matches([' ', '\t']);
        let s = s.strip_prefix('\r').unwrap_or(s);
        s.strip_prefix('\n').unwrap_or(s).to_string()
    };
    c.right_stripped = new != c.value;
    c.value = new;
}

/// `omitLeft`: strip the end of the node before `i` (or the last node).
fn omit_left(body: &mut [Statement], i: Option<usize>, multiple: bool) -> bool {
    let idx = match i {
        Some(i) => i.checked_sub(1),
        None => body.len().checked_sub(1),
    };
    let Some(Statement::Content(c)) = idx.and_then(|j| body.get_mut(j)) else {
        return false;
    };
    if !multiple && c.left_stripped {
        return false;
    }
    let new = if multiple {
        c.value.trim_end_matches(is_js_space).to_string()
    } else {
        c.value.trim_end_matches([' ', '\t']).to_string()
    };
    c.left_stripped = new != c.value;
    c.value = new;
    c.left_stripped
}
