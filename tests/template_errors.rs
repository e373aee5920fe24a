//! Snapshot tests of template error reports, minijinja-style.
//!
//! Every `tests/template-errors/*.hbs` is rendered against `tests/template-errors/_data.json`
//! and its error (code, span, message, and the source line with a caret) is compared with the
//! `.snap` file beside it. Run with `UPDATE_SNAPSHOTS=1` to rewrite the snapshots.

mod common;

use calhook::template::{render, CompileOptions, TemplateError};
use std::path::Path;

/// The report stored in a snapshot.
fn report(source: &str, result: Result<String, TemplateError>) -> String {
    let err = match result {
        Ok(out) => return format!("rendered without error:\n{out}\n"),
        Err(e) => e,
    };
    let mut s = format!("code: {}\n", err.code.as_str());
    match err.span {
        Some(span) => {
            s.push_str(&format!(
                "span: line {}, column {} (bytes {}..{})\n",
                span.line, span.column, span.start, span.end
            ));
            // Show the line the span starts on, with a caret under the column.
            let line_text = source
                .split_inclusive('\n')
                .nth(span.line - 1)
                .unwrap_or("")
                .trim_end_matches(['\n', '\r']);
            s.push_str(&format!("  {:>3} | {}\n", span.line, line_text));
            s.push_str(&format!("      | {}^\n", " ".repeat(span.column - 1)));
        }
        None => s.push_str("span: none\n"),
    }
    s.push_str("message:\n");
    s.push_str(&err.message);
    s.push('\n');
    s
}

#[test]
fn error_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/template-errors");
    let data = common::json(&std::fs::read_to_string(dir.join("_data.json")).unwrap());
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "hbs"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 15, "snapshot inputs are missing");
    let mut mismatches = Vec::new();
    for input in inputs {
        let source = std::fs::read_to_string(&input).unwrap();
        let actual = report(&source, render(&source, &data, &CompileOptions::default()));
        let snap = input.with_extension("snap");
        if update {
            std::fs::write(&snap, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&snap).unwrap_or_default();
        if expected != actual {
            mismatches.push(format!(
                "{}\n--- expected\n{expected}--- actual\n{actual}",
                input.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "snapshot mismatches (rerun with UPDATE_SNAPSHOTS=1 if intended):\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn template_error_report_has_a_caret_excerpt() {
    let source = "ok\n{{#if x}}\n{{/each}}";
    let err = calhook::template::compile(source, &calhook::template::CompileOptions::default())
        .expect_err("mismatched close");
    let report = err.report(source);
    let span = err.span.expect("span");
    let mut lines = report.lines();
    let head = lines.next().expect("header");
    assert!(
        head.starts_with(&format!(
            "{}:{}: error[TEMPLATE_SYNTAX]: ",
            span.line, span.column
        )),
        "{report}"
    );
    let caret = report
        .lines()
        .find(|l| l.contains('^'))
        .expect("a caret line");
    let excerpt = report
        .lines()
        .find(|l| l.starts_with(&format!("{} | ", span.line)))
        .expect("the source line");
    let line_text = source.lines().nth(span.line - 1).expect("line");
    assert!(excerpt.ends_with(line_text), "{report}");
    let bar = excerpt.find(" | ").expect("gutter") + 3;
    assert_eq!(caret.find('^'), Some(bar + span.column - 1), "{report}");
}
