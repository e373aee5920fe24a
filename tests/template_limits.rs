//! Limits and robustness: deep nesting, deep data, big output, endless loops and random input
//! must end in a `TEMPLATE_LIMIT` error or a result, never a panic or a stack overflow.

mod common;

use calhook::json::{Object, Value};
use calhook::template::{compile, render, CompileOptions, Limits, TemplateErrorCode};
use proptest::prelude::*;

fn opts() -> CompileOptions {
    CompileOptions::default()
}

/// Run `f` on a thread with a 1 MiB stack, the default stack of a Rust wasm32 instance (and
/// half of a test thread's). Release builds need about a quarter of that at the default
/// nesting limit; this runs the debug build.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn ten_thousand_nested_ifs_hit_the_nesting_limit() {
    let code = on_small_stack(|| {
        let n = 10_000;
        let tpl = format!("{}x{}", "{{#if t}}".repeat(n), "{{/if}}".repeat(n));
        render(&tpl, &common::json(r#"{"t": true}"#), &opts())
            .unwrap_err()
            .code
    });
    assert_eq!(code, TemplateErrorCode::Limit);
}

#[test]
fn unclosed_deep_nesting_and_sub_expressions_hit_the_limit() {
    let code = on_small_stack(|| {
        let deep_open = "{{#if t}}".repeat(10_000);
        let a = compile(&deep_open, &opts()).unwrap_err().code;
        let sexpr = format!(
            "{{{{lookup {}x{} 'a'}}}}",
            "(lookup ".repeat(10_000),
            " 'a')".repeat(10_000)
        );
        let b = compile(&sexpr, &opts()).unwrap_err().code;
        let chain = format!("{{{{#if a}}}}{}{{{{/if}}}}", "{{else if a}}".repeat(10_000));
        let c = compile(&chain, &opts()).unwrap_err().code;
        [a, b, c]
    });
    assert_eq!(code, [TemplateErrorCode::Limit; 3]);
}

#[test]
fn recursive_partials_hit_a_limit() {
    let code = on_small_stack(|| {
        let deep = format!(
            "{}{{{{> p}}}}{}",
            "{{#if t}}".repeat(60),
            "{{/if}}".repeat(60)
        );
        let tpl = format!("{{{{#*inline \"p\"}}}}{deep}{{{{/inline}}}}{{{{> p}}}}");
        render(&tpl, &common::json(r#"{"t": true}"#), &opts())
            .unwrap_err()
            .code
    });
    assert_eq!(code, TemplateErrorCode::Limit);
}

#[test]
fn nesting_within_the_limit_renders() {
    let out = on_small_stack(|| {
        let n = 64;
        let tpl = format!("{}x{}", "{{#with o}}".repeat(n), "{{/with}}".repeat(n));
        let mut data = Value::string("leaf");
        for _ in 0..n {
            let mut o = Object::new();
            o.insert("o", data);
            data = Value::object(o);
        }
        render(&tpl, &data, &opts()).unwrap()
    });
    assert_eq!(out, "x");
}

/// `[[[…]]]` nested `depth` levels. Dropping it recurses, so tests leak it.
fn nested_arrays(depth: usize) -> Value {
    let mut v = Value::Number(1.0);
    for _ in 0..depth {
        v = Value::array(vec![v]);
    }
    v
}

#[test]
fn ten_thousand_deep_data_gives_limit_or_renders() {
    let results = on_small_stack(|| {
        let mut o = Object::new();
        o.insert("x", nested_arrays(10_000));
        let data = Value::object(o);
        let results = [
            render("{{x}}", &data, &opts()).map_err(|e| e.code),
            render(
                "{{#each x}}{{#each this}}{{this.length}}{{/each}}{{/each}}",
                &data,
                &opts(),
            )
            .map_err(|e| e.code),
            render(
                "{{x.[0].[0].[0].length}}{{#if x}}y{{/if}}{{#with x}}{{length}}{{/with}}",
                &data,
                &opts(),
            )
            .map_err(|e| e.code),
            render(
                "{{#each x}}{{#each this}}{{#if true}}{{../../x.length}}{{/if}}{{/each}}{{/each}}",
                &data,
                &opts(),
            )
            .map_err(|e| e.code),
        ];
        std::mem::forget(data);
        results
    });
    assert_eq!(results[0], Err(TemplateErrorCode::Limit));
    assert_eq!(results[1], Ok("1".to_string()));
    assert_eq!(results[2], Ok("1y1".to_string()));
    assert_eq!(results[3], Ok("1".to_string()));
}

#[test]
fn output_size_limit() {
    let mut options = opts();
    options.limits = Limits {
        max_output_bytes: 10,
        ..Limits::default()
    };
    let data = common::json(r#"{"s": "hello", "list": [1,2,3,4,5,6,7,8,9,10,11]}"#);
    assert_eq!(render("{{s}}{{s}}", &data, &options).unwrap(), "hellohello");
    assert_eq!(
        render("{{s}}{{s}}!", &data, &options).unwrap_err().code,
        TemplateErrorCode::Limit
    );
    assert_eq!(
        render("{{list}}", &data, &options).unwrap_err().code,
        TemplateErrorCode::Limit
    );
    assert_eq!(
        render("{{#each list}}{{this}}{{/each}}", &data, &options)
            .unwrap_err()
            .code,
        TemplateErrorCode::Limit
    );
    // Escaping can grow the text: the limit applies to the escaped bytes.
    let quotes = common::json(r#"{"q": "\"\"\""}"#);
    assert_eq!(
        render("{{q}}", &quotes, &options).unwrap_err().code,
        TemplateErrorCode::Limit
    );
    assert_eq!(render("{{{q}}}", &quotes, &options).unwrap(), "\"\"\"");

    // Default: 1 MiB.
    let big = Value::string("x".repeat(600 * 1024));
    let mut o = Object::new();
    o.insert("b", big);
    let data = Value::object(o);
    assert_eq!(render("{{b}}", &data, &opts()).unwrap().len(), 600 * 1024);
    assert_eq!(
        render("{{b}}{{b}}", &data, &opts()).unwrap_err().code,
        TemplateErrorCode::Limit
    );
}

#[test]
fn template_size_limit() {
    let mut options = opts();
    options.limits.max_template_bytes = 8;
    assert!(compile("12345678", &options).is_ok());
    let err = compile("123456789", &options).unwrap_err();
    assert_eq!(err.code, TemplateErrorCode::Limit);
}

#[test]
fn endless_work_is_cut_off() {
    let list: Vec<Value> = (0..1000).map(|i| Value::Number(i as f64)).collect();
    let mut o = Object::new();
    o.insert("l", Value::array(list));
    let data = Value::object(o);
    let tpl = "{{#each l}}{{#each ../l}}{{#each ../../l}}{{/each}}{{/each}}{{/each}}";
    assert_eq!(
        render(tpl, &data, &opts()).unwrap_err().code,
        TemplateErrorCode::Limit
    );
}

/// Fragments that exercise every lexer state and grammar rule.
const FRAGMENTS: &[&str] = &[
    "{{",
    "}}",
    "{{{",
    "}}}",
    "{{{{",
    "}}}}",
    "{{#",
    "{{/",
    "{{^",
    "{{>",
    "{{#>",
    "{{#*",
    "{{*",
    "{{&",
    "{{!",
    "{{!--",
    "--}}",
    "{{else}}",
    "{{else if",
    "~",
    " ",
    "\n",
    "\r\n",
    "\\",
    "\\\\",
    "(",
    ")",
    "=",
    "as |",
    "|",
    "[",
    "]",
    "'",
    "\"",
    "@",
    ".",
    "..",
    "/",
    "this",
    "if",
    "each",
    "with",
    "unless",
    "lookup",
    "log",
    "a",
    "b.c",
    "0",
    "-1.5",
    "true",
    "null",
    "undefined",
    "x",
    "é",
    "😀",
    "\u{a0}",
    "\u{2028}",
    "\0",
    "includeZero=true",
    "inline",
    "p",
    "@partial-block",
    "{{> p}}",
    "{{#*inline \"p\"}}",
    "{{/inline}}",
];

fn random_template() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|v| v.concat())
}

fn sample_data() -> Value {
    common::json(
        r#"{"a": [1, {"x": "<&>"}, null], "b": {"c": "C"}, "x": "X", "t": true, "f": false, "n": 0, "e": "",
            "this": 1, "if": "i", "s": "héllo😀", "o": {"0": "z", "k": [[1, 2], []]}}"#,
    )
}

proptest! {
    // 2000 cases by default; set PROPTEST_CASES for a longer run.
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000), ..ProptestConfig::default() })]

    #[test]
    fn random_templates_never_panic(tpl in random_template()) {
        let data = sample_data();
        for dialect in [calhook::template::Dialect::Calcom, calhook::template::Dialect::Reference] {
            let options = CompileOptions { dialect, ..CompileOptions::default() };
            if let Ok(t) = compile(&tpl, &options) {
                let _ = t.render(&data);
                let _ = t.variables();
            }
        }
    }

    #[test]
    fn random_text_never_panics(tpl in "\\PC{0,60}") {
        let _ = render(&tpl, &sample_data(), &opts());
    }

    #[test]
    fn error_spans_are_in_bounds(tpl in random_template()) {
        if let Err(e) = render(&tpl, &sample_data(), &opts()) {
            if let Some(span) = e.span {
                prop_assert!(span.start <= span.end && span.end <= tpl.len());
                prop_assert!(tpl.is_char_boundary(span.start) && tpl.is_char_boundary(span.end));
                prop_assert!(span.line >= 1 && span.column >= 1);
            }
        }
    }
}

/// Inputs that would take quadratic time in a naive lexer or span computation finish quickly.
#[test]
fn big_templates_stay_linear() {
    let limit = calhook::template::Limits::default().max_template_bytes;
    let cases = [
        // One long line with many tags: columns are computed for every node.
        "{{x}}é".repeat(limit / 8),
        // Unterminated short comments everywhere.
        "{{!".repeat(limit / 3),
        "{{{{r}}}}".to_string() + &"{{{{r}}}}a".repeat(limit / 11),
        "\\{{".repeat(limit / 3),
        "{{#if x}}".repeat(limit / 9),
        format!("{{{{x \"{}", "\\\"".repeat(limit / 3)),
    ];
    let data = common::json(r#"{"x": "y"}"#);
    for tpl in cases {
        let started = std::time::Instant::now();
        let _ = render(&tpl, &data, &opts());
        let elapsed = started.elapsed();
        assert!(
            elapsed.as_secs() < 10,
            "{} bytes took {elapsed:?}",
            tpl.len()
        );
    }
}
