//! Behaviour tests for the public template API: semantics recorded from handlebars 4.7.10,
//! the Reference dialect, `variables()`, spans on the AST, and error codes.

mod common;

use calhook::template::ast::{Expr, Statement};
use calhook::template::{compile, render, CompileOptions, Dialect, TemplateErrorCode};

const DATA: &str = r#"{"x": "X", "a": {"b": {"c": "C"}}, "arr": ["a", "b"], "n": 0, "t": true, "f": false, "nul": null, "s": "héllo😀", "e": "", "obj": {}, "o": {"k": "v", "2": "two", "1": "one"}, "list": [{"n": 1}, {"n": 2}], "nested": [[1, 2], [3, [4, 5]]], "num": 1.5, "big": 1e+21, "quote": "a\"b'c&<>`=", "items": [null, "a"], "v": ["a"], "if": "dataif", "constructor": {"name": "ctor"}, "arr2": [0, 1], "data": ["foo", "bar"], "one": 1, "two": 2, "undefined": "U", "true": "T", "123": "num"}"#;

/// (name, template, output of handlebars 4.7.10)
const CASES: &[(&str, &str, &str)] = &[
    ("escape table", "{{quote}}|{{{quote}}}|{{&quote}}", "a&quot;b&#x27;c&amp;&lt;&gt;&#x60;&#x3D;|a\"b'c&<>`=|a\"b'c&<>`="),
    ("number formatting", "{{num}} {{big}} {{n}} {{f}} {{t}}", "1.5 1e+21 0 false true"),
    ("array join and objects", "{{nested}}|{{items}}|{{obj}}|{{list}}", "1,2,3,4,5|,a|[object Object]|[object Object],[object Object]"),
    ("utf-16 string indices", "{{s.length}} {{s.[1]}} {{s.[0]}}", "7 é h"),
    ("backslash escapes", "\\{{x}} {{x}} \\\\{{x}} \\\\\\\\{{x}}", "{{x}} X \\X \\\\\\X"),
    ("raw block", "{{{{t}}}} {{x}} {{{{/t}}}}|{{{{missing}}}}no{{{{/missing}}}}", " {{x}} |"),
    ("comment ends at first close", "{{! a }} }}|{{!-- }} --}}", " }}|"),
    ("literal paths", "{{true}} {{undefined}} {{123}} {{this.if}} {{./if}}", "T U num dataif dataif"),
    ("empty segment is the context", "{{#with a}}{{[].b.c}}{{/with}}", "[object Object]"),
    ("inherited names are empty", "[{{constructor.name}}][{{toString}}][{{arr.push}}][{{__proto__}}]", "[ctor][][][]"),
    ("own constructor key", "{{lookup (lookup this 'constructor') 'name'}}", "ctor"),
    ("array own props", "{{arr.length}} {{arr.[1]}} [{{arr.[01]}}] [{{arr.[-1]}}]", "2 b [] []"),
    ("no parent fallback", "{{#each arr}}[{{x}}]{{/each}}", "[][]"),
    ("if does not push a context", "{{#each list}}{{#if ../t}}{{../x}}{{/if}}{{/each}}", "XX"),
    ("with this pushes nothing", "{{#with this}}[{{../x}}]{{/with}}", "[]"),
    ("loose equality collapses levels", "{{#with v}}{{#each this}}{{../x}}{{/each}}{{/with}}", "X"),
    ("block params", "{{#each list as |item i|}}{{i}}={{item.n}}{{#each ../arr as |a|}}{{a}}{{i}}{{/each}};{{/each}}", "0=1a0b0;1=2a1b1;"),
    ("this.item is not a block param", "{{#each arr as |item|}}[{{this.item}}]{{/each}}", "[][]"),
    ("includeZero", "{{#if n}}A{{else}}B{{/if}}{{#if n includeZero=true}}A{{else}}B{{/if}}{{#if n includeZero='false'}}A{{/if}}", "BAA"),
    ("with zero and empty string", "{{#with n}}[{{this}}]{{else}}none{{/with}}{{#with e}}[{{this}}]{{else}}none{{/with}}", "[0]none"),
    ("sections on values", "{{#n}}[{{this}}]{{/n}}{{#e}}[{{this}}]{{/e}}{{#t}}[{{x}}]{{/t}}{{#obj}}[obj]{{/obj}}{{^n}}no{{/n}}{{^arr}}no{{/arr}}", "[0][][X][obj]"),
    ("each over object key order", "{{#each o}}{{@key}}={{this}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}},{{/each}}", "1=oneF,2=two,k=vL,"),
    ("parent data frames", "{{#each list}}{{#each ../arr}}{{@../index}}{{@index}} {{/each}}{{/each}}", "00 01 10 11 "),
    ("data value chains", "{{#each arr}}[{{@index.foo}}]{{/each}}|{{@root.x}}|{{#each arr}}{{@root.x}}{{/each}}", "[0][]|X|XX"),
    ("else chains", "{{#if f}}1{{else if nul}}2{{else unless t}}3{{else each arr}}{{this}}{{/if}}", "ab"),
    ("lookup", "{{lookup arr 1}} {{lookup arr 1.0}} {{lookup arr -0}} [{{lookup n 'a'}}] [{{lookup f 'a'}}] {{#each arr2}}{{lookup ../data .}}{{/each}}", "b b a [0] [false] foobar"),
    ("lookup block returns value", "{{#lookup o 'k'}}ignored{{/lookup}}", "v"),
    ("log renders nothing", "[{{log x}}][{{#log}}x{{/log}}]", "[][]"),
    ("hash-only call of unknown name", "[{{missing a=1}}][{{#missing a=1}}x{{/missing}}]", "[][]"),
    ("sub-expression without args", "[{{lookup (missing) 'a'}}]", "[]"),
    ("lazy errors", "{{#if f}}{{missing 1}}{{/if}}{{#each e}}{{missing 1}}{{/each}}ok", "ok"),
    ("partial block fallback", "{{#> p}}fallback {{x}}{{/p}}|{{#> p a}}{{b.c}}{{/p}}|{{#> p k=1}}{{k}}{{x}}{{/p}}", "fallback X|C|1X"),
    ("null context in helpers", "{{#each items}}{{#if true}}[{{this}}]{{/if}}{{/each}}", "[[object Object]][a]"),
    ("adjacent numbers add", "{{{one}}}{{{two}}}|{{{one}}} {{~{two}}}|{{{t}}}{{{f}}}|{{{one}}}{{x}}{{{two}}}", "3|12|truefalse|1X2"),
    ("numbers add across blocks", "{{{one}}}{{#if t}}{{{two}}}{{/if}}|{{#if t}}{{{one}}}{{/if}}{{#if t}}{{{two}}}{{/if}}", "3|12"),
    ("standalone lines", "a\n  {{#if t}}\n  b\n  {{else}}\n  c\n  {{/if}}\nd\n  {{! note }}\ne", "a\n  b\nd\ne"),
    ("else if keeps indentation of close", "x\n  {{#if f}}\n  a\n  {{else if t}}\n  b\n  {{/if}}\ny", "x\n  b\n  y"),
    ("tilde", " {{~x~}} |{{#if t~}}  a  {{~/if}}|  {{~! c ~}}  b", "X|a|b"),
    ("crlf standalone", "a\r\n{{#if t}}\r\nb\r\n{{/if}}\r\nc", "a\r\nb\r\nc"),
    ("pretty json template", "{\n  \"title\": \"{{x}}\",\n  \"items\": [\n    {{#each arr}}\n    \"{{this}}\"{{#unless @last}},{{/unless}}\n    {{/each}}\n  ]\n}", "{\n  \"title\": \"X\",\n  \"items\": [\n    \"a\",\n    \"b\"\n  ]\n}"),
];

#[test]
fn semantics_match_handlebars() {
    let data = common::json(DATA);
    let mut failures = Vec::new();
    for (name, template, expected) in CASES {
        match render(template, &data, &CompileOptions::default()) {
            Ok(out) if out == *expected => {}
            other => failures.push(format!(
                "{name}: {template:?}\n  expected {expected:?}\n  got {other:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn handlebars_errors() {
    let data = common::json(DATA);
    let cases: &[(&str, TemplateErrorCode, &str)] = &[
        (
            "{{\"if\"}}",
            TemplateErrorCode::Render,
            "#if requires exactly one argument",
        ),
        (
            "{{[if]}}",
            TemplateErrorCode::Render,
            "#if requires exactly one argument",
        ),
        (
            "{{foo bar}}",
            TemplateErrorCode::Render,
            "Missing helper: \"foo\"",
        ),
        ("{{a.b x}}", TemplateErrorCode::Render, "TypeError"),
        (
            "{{missing.b x}}",
            TemplateErrorCode::Render,
            "Missing helper: \"missing.b\"",
        ),
        ("{{x.}}", TemplateErrorCode::Render, "TypeError"),
        ("{{(x)}}", TemplateErrorCode::Syntax, "got 'OPEN_SEXPR'"),
        (
            "{{lookup (missing x) 'a'}}",
            TemplateErrorCode::Render,
            "Missing helper: \"missing\"",
        ),
        ("{{lookup (x) 'a'}}", TemplateErrorCode::Render, "TypeError"),
        ("{{each arr}}", TemplateErrorCode::Render, "TypeError"),
        (
            "{{#each arr x}}{{/each}}",
            TemplateErrorCode::Render,
            "TypeError",
        ),
        (
            "{{#if x as |y|}}{{y}}{{/if}}",
            TemplateErrorCode::Render,
            "TypeError",
        ),
        ("{{lookup a}}", TemplateErrorCode::Render, "TypeError"),
        (
            "{{arr.0}}",
            TemplateErrorCode::Syntax,
            "Expecting 'ID', got 'NUMBER'",
        ),
        (
            "{{a.this}}",
            TemplateErrorCode::Syntax,
            "Invalid path: a.this - 1:2",
        ),
        (
            "{{#x}}{{#y}}{{/x}}{{/y}}",
            TemplateErrorCode::Syntax,
            "y doesn't match x - 1:9",
        ),
        (
            "{{!-- x",
            TemplateErrorCode::Syntax,
            "Lexical error on line 1",
        ),
        ("a\u{0}b", TemplateErrorCode::Syntax, "Lexical error"),
        (
            "\\{{#if x}}y{{/if}}",
            TemplateErrorCode::Syntax,
            "got 'OPEN_ENDBLOCK'",
        ),
        (
            "{{> p}}",
            TemplateErrorCode::Render,
            "The partial p could not be found",
        ),
        (
            "{{#*inline \"p\"}}{{> p}}{{/inline}}{{> p}}",
            TemplateErrorCode::Limit,
            "Partials are nested",
        ),
        (
            "{{* d}}",
            TemplateErrorCode::Unsupported,
            "Missing decorator: \"d\"",
        ),
        (
            "{{#if f}}{{* d}}{{/if}}",
            TemplateErrorCode::Unsupported,
            "Missing decorator: \"d\"",
        ),
        (
            "{{#*inline \"p\"}}{{{one}}}{{/inline}}\n  {{> p}}\n",
            TemplateErrorCode::Render,
            "result.split",
        ),
    ];
    for (template, code, needle) in cases {
        let err = render(template, &data, &CompileOptions::default()).unwrap_err();
        assert_eq!(err.code, *code, "{template}: {err}");
        assert!(
            err.message.contains(needle),
            "{template}: {:?} lacks {needle:?}",
            err.message
        );
    }
}

#[test]
fn inline_partials() {
    // Outputs recorded from handlebars 4.7.10.
    let cases = [
        (
            r#"{{#*inline "row"}}<{{name}}>{{/inline}}{{#each people}}{{> row}}{{/each}}|{{> row name="x"}}|{{> row people.[1]}}"#,
            r#"{"name": "top", "people": [{"name": "A"}, {"name": "B"}]}"#,
            "<A><B>|<x>|<B>",
        ),
        (
            "list:\n  {{> item}}\n{{#*inline \"item\"}}a\nb\n{{/inline}}",
            "{}",
            "list:\n  a\n  b\n",
        ),
        (
            r#"{{#*inline "p"}}[{{> @partial-block}}]{{/inline}}{{#> p}}fb {{x}}{{/p}}|{{#> missing}}fallback{{/missing}}"#,
            r#"{"x": "X"}"#,
            "[fb X]|fallback",
        ),
        (
            r#"{{#each a}}{{#*inline "i"}}{{@index}}{{../x}}{{/inline}}{{> i}}{{/each}}"#,
            r#"{"a": [1, 2], "x": "X"}"#,
            "0X1X",
        ),
        (
            r#"{{{two}}}{{{two}}}{{> q}}{{#*inline "q"}}{{{one}}}{{/inline}}{{{two}}}"#,
            r#"{"one": 1, "two": 2}"#,
            "7",
        ),
    ];
    for (template, data, expected) in cases {
        assert_eq!(
            render(template, &common::json(data), &CompileOptions::default()).unwrap(),
            expected,
            "{template}"
        );
    }
}

#[test]
fn reference_dialect_accepts_js_style_indexes() {
    let reference = CompileOptions {
        dialect: Dialect::Reference,
        ..CompileOptions::default()
    };
    let data = common::json(
        r#"{"triggerEvent": "BOOKING_CREATED", "payload": {"uid": "u1",
            "attendees": [{"email": "a@x.io", "name": "Ann"}, {"email": "b@x.io"}], "m": [[1, 2], [3, 4]]}}"#,
    );
    let tpl = r#"{"event": "{{triggerEvent}}", "booking_id": "{{payload.uid}}", "attendee": "{{payload.attendees[0].email}}"}"#;
    assert_eq!(
        render(tpl, &data, &reference).unwrap(),
        r#"{"event": "BOOKING_CREATED", "booking_id": "u1", "attendee": "a@x.io"}"#
    );
    assert_eq!(
        render(
            "{{payload.attendees[1].email}} {{payload.m[1][0]}} {{payload.attendees.[0].name}}",
            &data,
            &reference
        )
        .unwrap(),
        "b@x.io 3 Ann"
    );
    let t = compile(tpl, &reference).unwrap();
    assert_eq!(
        t.variables(),
        ["triggerEvent", "payload.uid", "payload.attendees[0].email"]
    );
    // The same template is a syntax error for the real sender.
    let err = compile(tpl, &CompileOptions::default()).unwrap_err();
    assert_eq!(err.code, TemplateErrorCode::Syntax);
    assert!(err.message.contains("got 'INVALID'"), "{}", err.message);
    // Only `[digits]` directly after a segment is an index; everything else is unchanged.
    assert_eq!(
        compile("{{a[x]}}", &reference).unwrap_err().code,
        TemplateErrorCode::Syntax
    );
    assert_eq!(
        render("{{lookup payload [0]}}", &data, &reference).unwrap(),
        ""
    );
}

#[test]
fn variables_in_first_use_order() {
    let t = compile(
        "{{title}} {{#each attendees}}{{email}}{{/each}}{{#if uid}}{{attendees.0.email}}{{/if}}\
         {{lookup responses (lookup metadata 'k')}}{{title}}{{@index}}{{@root.uid}}{{this}}{{#with organizer as |o|}}{{o.name}}{{/with}}",
        &CompileOptions::default(),
    )
    .unwrap();
    assert_eq!(
        t.variables(),
        [
            "title",
            "attendees",
            "email",
            "uid",
            "attendees.0.email",
            "responses",
            "metadata",
            "@root.uid",
            "organizer",
            "o.name"
        ]
    );
    let t = compile(
        r#"{{#*inline "row"}}{{name}}{{/inline}}{{> row person k=v}}{{#> row other}}{{fb}}{{/row}}"#,
        &CompileOptions::default(),
    )
    .unwrap();
    assert_eq!(t.variables(), ["name", "person", "v", "other", "fb"]);
}

#[test]
fn ast_nodes_carry_spans() {
    let src = "héllo\n  {{#if a}}\n{{x.y}}{{/if}}";
    let t = compile(src, &CompileOptions::default()).unwrap();
    let body = &t.ast().body;
    let Statement::Block(block) = &body[1] else {
        panic!("expected a block: {body:?}")
    };
    assert_eq!((block.span.line, block.span.column), (2, 3));
    assert_eq!(
        &src[block.span.start..block.span.end],
        "{{#if a}}\n{{x.y}}{{/if}}"
    );
    let Expr::Path(cond) = &block.call.params[0] else {
        panic!()
    };
    assert_eq!((cond.span.line, cond.span.column), (2, 9));
    let program = block.program.as_ref().unwrap();
    let Statement::Mustache(m) = &program.body[1] else {
        panic!("{program:?}")
    };
    assert_eq!(
        (m.span.line, m.span.column, &src[m.span.start..m.span.end]),
        (3, 1, "{{x.y}}")
    );
    let Expr::Path(p) = &m.call.head else {
        panic!()
    };
    assert_eq!(
        (p.original.as_str(), &p.parts[..]),
        ("x.y", &["x".to_string(), "y".to_string()][..])
    );
    // The standalone `{{#if}}` line is removed from the text before it.
    let Statement::Content(c) = &body[0] else {
        panic!()
    };
    assert_eq!(
        (c.value.as_str(), c.original.as_str()),
        ("héllo\n", "héllo\n  ")
    );
}

#[test]
fn error_codes_and_display() {
    assert_eq!(TemplateErrorCode::Syntax.as_str(), "TEMPLATE_SYNTAX");
    assert_eq!(TemplateErrorCode::Render.as_str(), "TEMPLATE_RENDER");
    assert_eq!(TemplateErrorCode::Limit.as_str(), "TEMPLATE_LIMIT");
    assert_eq!(
        TemplateErrorCode::Unsupported.as_str(),
        "TEMPLATE_UNSUPPORTED"
    );
    let err = render(
        "ab\ncd {{x y}}",
        &common::json("{}"),
        &CompileOptions::default(),
    )
    .unwrap_err();
    let span = err.span.unwrap();
    assert_eq!((span.line, span.column), (2, 6));
    assert_eq!(
        err.to_string(),
        "TEMPLATE_RENDER: Missing helper: \"x\" (Cal.com has only the built-in helpers if, unless, each, with, lookup and log) (line 2, column 6)"
    );
    let _: &dyn std::error::Error = &err;
}

#[test]
fn compiled_templates_render_many_times() {
    let t = compile("{{#each xs}}{{this}}{{/each}}", &CompileOptions::default()).unwrap();
    assert_eq!(t.render(&common::json(r#"{"xs": [1, 2]}"#)).unwrap(), "12");
    assert_eq!(t.render(&common::json(r#"{"xs": "no"}"#)).unwrap(), "");
    assert_eq!(t.render(&common::json("null")).unwrap(), "");
}

/// An object with its own `toString` key (JSON makes it a non-function) has no primitive
/// value: handlebars 4.7.10 throws `TypeError: Cannot convert object to primitive value` when
/// it is printed, escaped or raw, directly or inside an array, so Cal.com sends no webhook.
/// Other own keys (`valueOf`, `toHTML`) still print `[object Object]`. Outputs recorded from
/// the real library.
#[test]
fn objects_without_a_primitive_value() {
    let throws = [
        ("{{x}}", r#"{"x": {"toString": 1}}"#),
        ("{{{x}}}", r#"{"x": {"toString": "s"}}"#),
        ("{{x}}", r#"{"x": [1, {"toString": null}]}"#),
        (
            "{{#each l}}{{this}}{{/each}}",
            r#"{"l": [{"toString": {}}]}"#,
        ),
    ];
    for (source, data) in throws {
        let err = render(source, &common::json(data), &CompileOptions::default()).unwrap_err();
        assert_eq!(err.code, TemplateErrorCode::Render, "{source} with {data}");
        assert!(
            err.message
                .starts_with("TypeError: Cannot convert object to primitive value"),
            "{source} with {data}: {}",
            err.message
        );
    }
    let prints = [
        ("{{x}}", r#"{"x": {"valueOf": 1}}"#, "[object Object]"),
        ("{{x}}", r#"{"x": {"toHTML": 1}}"#, "[object Object]"),
        ("{{x.toString}}", r#"{"x": {"toString": 7}}"#, "7"),
        ("{{#if x}}y{{/if}}", r#"{"x": {"toString": 1}}"#, "y"),
    ];
    for (source, data, expected) in prints {
        let out = render(source, &common::json(data), &CompileOptions::default()).unwrap();
        assert_eq!(out, expected, "{source} with {data}");
    }
}
