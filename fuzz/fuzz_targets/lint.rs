//! The template linter: `lint_template` in both dialects, with and without a trigger, then
//! `apply_fixes` and a second lint of the fixed text.
//!
//! Input: one flag byte, then the template. Flags: bit 0 = Reference dialect; bits 1–7 pick the
//! trigger (0: none, 1: an unknown one, else an index into `TRIGGERS`).
//!
//! Invariants:
//! - every diagnostic span and fix span lies within the source, at char boundaries, with the
//!   line/column of its start (the wasm layer slices the source with them);
//! - diagnostics are sorted by span and have a message;
//! - a template that does not compile gets at least one error; one that compiles gets no
//!   `TEMPLATE_SYNTAX`;
//! - linting is deterministic, and the text after `apply_fixes` lints without panicking.
#![no_main]

use calhook::event::TRIGGERS;
use calhook::lint::{apply_fixes, lint_template, LintOptions, Severity};
use calhook::template::{compile, CompileOptions, Dialect};
use calhook_fuzz::check_span;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&flags, src)) = input.split_first() else {
        return;
    };
    let source = String::from_utf8_lossy(src);
    let source = source.as_ref();
    let dialect = if flags & 1 != 0 {
        Dialect::Reference
    } else {
        Dialect::Calcom
    };
    let trigger = match flags >> 1 {
        0 => None,
        1 => Some("NOT_A_TRIGGER".to_string()),
        n => Some(TRIGGERS[usize::from(n) % TRIGGERS.len()].name.to_string()),
    };
    let options = LintOptions { dialect, trigger };
    let diags = lint_template(source, &options);
    for d in &diags {
        check_span(source, &d.span, d.code.as_str());
        assert!(!d.message.is_empty(), "{d:?}");
        if let Some(fix) = &d.fix {
            // Fix ranges may be empty insertions; line/column are not used for them.
            let s = fix.span;
            assert!(
                s.start <= s.end
                    && s.end <= source.len()
                    && source.is_char_boundary(s.start)
                    && source.is_char_boundary(s.end),
                "fix of {} outside the source / not at char boundaries: {d:?}",
                d.code.as_str()
            );
        }
    }
    for w in diags.windows(2) {
        assert!(
            (w[0].span.start, w[0].span.end) <= (w[1].span.start, w[1].span.end),
            "diagnostics not sorted"
        );
    }
    assert_eq!(
        diags,
        lint_template(source, &options),
        "lint is not deterministic"
    );

    if !source.is_empty() {
        let compiled = compile(
            source,
            &CompileOptions {
                dialect,
                ..CompileOptions::default()
            },
        );
        match compiled {
            Ok(_) => assert!(
                diags.iter().all(|d| d.code != "TEMPLATE_SYNTAX"),
                "TEMPLATE_SYNTAX on a template that compiles: {diags:?}"
            ),
            Err(e) => assert!(
                diags.iter().any(|d| d.severity == Severity::Error),
                "no error for a template that does not compile ({e:?}): {diags:?}"
            ),
        }
    }

    let fixed = apply_fixes(source, &diags);
    let again = lint_template(&fixed, &options);
    for d in &again {
        check_span(&fixed, &d.span, d.code.as_str());
    }
});
