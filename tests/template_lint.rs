//! The template linter: one test per finding, with exact spans, the fixed template, and what the
//! fixed template renders on the real sender. Expected renders marked "oracle" were checked with
//! handlebars 4.7.10 (the `handlebars` devDependency) followed by Cal.com's
//! `.replace(/&quot;/g, '"')`, and are written here as literals.

mod common;

use calhook::lint::{apply_fixes, lint_template, Diagnostic, LintOptions, Severity};
use calhook::template::{render, CompileOptions, Dialect};
use common::json;
use proptest::prelude::*;

/// Booking-style (flat) data, as Cal.com renders it.
const FLAT: &str = r#"{
  "triggerEvent": "BOOKING_CREATED", "createdAt": "2024-01-15T10:00:00.000Z",
  "uid": "u1", "bookingId": 42, "title": "O'Brien & <Co> \"x\"",
  "attendees": [{"name": "Ann", "email": "a@x.com"}],
  "organizer": {"name": "Org", "email": "o@x.com"},
  "metadata": {"videoCallUrl": "https://x/?a=1&b=2"},
  "arr": ["x", "y"]
}"#;

fn opts(trigger: Option<&str>) -> LintOptions {
    LintOptions {
        dialect: Dialect::Calcom,
        trigger: trigger.map(str::to_string),
    }
}

fn lint(src: &str) -> Vec<Diagnostic> {
    lint_template(src, &LintOptions::default())
}

/// The only diagnostic with `code`.
fn one<'a>(diags: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "expected one {code} in {diags:#?}");
    found[0]
}

/// Assert severity and span (line, column, start, end).
fn at(d: &Diagnostic, severity: Severity, span: (usize, usize, usize, usize)) {
    assert_eq!(d.severity, severity, "{d:#?}");
    assert_eq!(
        (d.span.line, d.span.column, d.span.start, d.span.end),
        span,
        "{d:#?}"
    );
}

fn fix_of(d: &Diagnostic) -> (usize, usize, &str) {
    let f = d.fix.as_ref().expect("a fix");
    (f.span.start, f.span.end, f.replacement.as_str())
}

/// Render as the real sender does (handlebars, then `&quot;` → `"`).
fn send(src: &str, data: &str) -> String {
    render(src, &json(data), &CompileOptions::default())
        .expect("renders")
        .replace("&quot;", "\"")
}

fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
    diags.iter().map(|d| d.code.as_str()).collect()
}

fn no_errors_or_warnings(diags: &[Diagnostic]) {
    let bad: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

// ---------------------------------------------------------------------------------------------

#[test]
fn reference_example_template() {
    let src = r#"{"event": "{{triggerEvent}}", "booking_id": "{{payload.uid}}", "attendee": "{{payload.attendees[0].email}}"}"#;
    for trigger in [None, Some("BOOKING_CREATED")] {
        let diags = lint_template(src, &opts(trigger));
        assert_eq!(
            codes(&diags),
            ["REFERENCE_PAYLOAD_PREFIX", "REFERENCE_INDEX_SYNTAX"]
        );
        let prefix = one(&diags, "REFERENCE_PAYLOAD_PREFIX");
        at(prefix, Severity::Warning, (1, 48, 47, 58));
        assert_eq!(fix_of(prefix), (47, 55, ""));
        assert_eq!(
            prefix.fix.as_ref().map(|f| f.title.as_str()),
            Some("Use {{uid}}")
        );
        assert_eq!(prefix.message.contains("assumed"), trigger.is_none());
        let index = one(&diags, "REFERENCE_INDEX_SYNTAX");
        at(index, Severity::Error, (1, 79, 78, 104));
        assert_eq!(fix_of(index), (78, 104, "attendees.0.email"));
        assert!(index.message.contains("not sent"));

        let fixed = apply_fixes(src, &diags);
        assert_eq!(
            fixed,
            r#"{"event": "{{triggerEvent}}", "booking_id": "{{uid}}", "attendee": "{{attendees.0.email}}"}"#
        );
        let again = lint_template(&fixed, &opts(trigger));
        no_errors_or_warnings(&again);
        assert_eq!(apply_fixes(&fixed, &again), fixed);
        // oracle
        assert_eq!(
            send(&fixed, FLAT),
            r#"{"event": "BOOKING_CREATED", "booking_id": "u1", "attendee": "a@x.com"}"#
        );
    }
}

#[test]
fn reference_dialect_accepts_reference_forms_with_notes() {
    let src = r#"{"booking_id": "{{payload.uid}}", "attendee": "{{payload.attendees[0].email}}"}"#;
    let diags = lint_template(
        src,
        &LintOptions {
            dialect: Dialect::Reference,
            trigger: None,
        },
    );
    assert!(
        diags.iter().all(|d| d.severity == Severity::Info),
        "{diags:#?}"
    );
    assert!(diags.iter().all(|d| d.fix.is_none()));
    let idx = one(&diags, "REFERENCE_INDEX_SYNTAX");
    at(idx, Severity::Info, (1, 50, 49, 75));
    assert!(idx.message.contains("real"));
    let prefixes: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.code == "REFERENCE_PAYLOAD_PREFIX")
        .collect();
    assert_eq!(prefixes.len(), 2);
    at(prefixes[0], Severity::Info, (1, 19, 18, 29));
    assert!(prefixes[0].message.contains("`{{uid}}`"));
}

#[test]
fn js_index_for_generic_trigger_keeps_payload() {
    let src =
        r#"{"a": "{{payload.attendees[0].email}}", "b": "{{payload.responses.Email.value}}"}"#;
    let diags = lint_template(src, &opts(Some("FORM_SUBMITTED")));
    let d = one(&diags, "REFERENCE_INDEX_SYNTAX");
    at(d, Severity::Error, (1, 10, 9, 35));
    assert_eq!(fix_of(d), (9, 35, "payload.attendees.0.email"));
    // No payload-prefix warning for generic triggers.
    assert!(!codes(&diags).contains(&"REFERENCE_PAYLOAD_PREFIX"));
    let fixed = apply_fixes(src, &diags);
    assert!(fixed.starts_with(r#"{"a": "{{payload.attendees.0.email}}""#));
    // oracle: the nested data of generic triggers.
    let data =
        r#"{"triggerEvent": "FORM_SUBMITTED", "payload": {"attendees": [{"email": "a@x.com"}]}}"#;
    assert_eq!(send("{{payload.attendees.0.email}}", data), "a@x.com");
}

#[test]
fn js_index_at_the_end_uses_brackets() {
    let src = "Hi {{arr[1]}}!";
    let diags = lint(src);
    let d = one(&diags, "REFERENCE_INDEX_SYNTAX");
    at(d, Severity::Error, (1, 6, 5, 11));
    let fixed = apply_fixes(src, &diags);
    assert_eq!(fixed, "Hi {{arr.[1]}}!");
    assert!(lint(&fixed).is_empty());
    // oracle
    assert_eq!(send(&fixed, FLAT), "Hi y!");
}

#[test]
fn other_syntax_errors_at_the_engine_span() {
    let src = "a\n{{#if uid}}x";
    let diags = lint(src);
    assert_eq!(codes(&diags), ["TEMPLATE_SYNTAX"]);
    at(&diags[0], Severity::Error, (2, 13, 14, 14));
    assert!(diags[0].fix.is_none());
    assert!(diags[0].message.contains("got 'EOF'"));
    assert!(diags[0].message.contains("not sent"));

    let diags = lint("{{#if uid}}x{{/each}}");
    assert_eq!(codes(&diags), ["TEMPLATE_SYNTAX"]);
    assert!(diags[0].message.contains("doesn't match"));
}

#[test]
fn triple_close() {
    let src = r#"{"n": {{bookingId}}}"#;
    let diags = lint(src);
    let d = one(&diags, "TRIPLE_CLOSE");
    at(d, Severity::Error, (1, 18, 17, 20));
    assert_eq!(fix_of(d), (17, 20, "}} }"));
    // The template is not JSON either (unquoted mustache); that fix overlaps and comes next.
    let nj = one(&diags, "NOT_JSON_TEMPLATE");
    at(nj, Severity::Warning, (1, 7, 6, 20));
    assert!(nj.fix.is_none());

    let fixed = apply_fixes(src, &diags);
    assert_eq!(fixed, r#"{"n": {{bookingId}} }"#);
    // oracle: form-urlencoded, sent as rendered.
    assert_eq!(send(&fixed, FLAT), r#"{"n": 42 }"#);
    let diags = lint(&fixed);
    let nj = one(&diags, "NOT_JSON_TEMPLATE");
    at(nj, Severity::Warning, (1, 7, 6, 19));
    let fixed = apply_fixes(&fixed, &diags);
    assert_eq!(fixed, r#"{"n": "{{bookingId}}" }"#);
    assert!(lint(&fixed).is_empty());
    // oracle: JSON now, the number arrives as a string.
    assert_eq!(send(&fixed, FLAT), r#"{"n": "42" }"#);
}

#[test]
fn numeric_last_segment() {
    let src = "Hi {{arr.0}}";
    let diags = lint(src);
    let d = one(&diags, "NUMERIC_SEGMENT");
    at(d, Severity::Error, (1, 6, 5, 10));
    assert_eq!(fix_of(d), (9, 10, "[0]"));
    let fixed = apply_fixes(src, &diags);
    assert_eq!(fixed, "Hi {{arr.[0]}}");
    assert!(lint(&fixed).is_empty());
    // oracle
    assert_eq!(send(&fixed, FLAT), "Hi x");
}

#[test]
fn several_syntax_errors_and_findings_behind_them() {
    // Two different parse errors, and a payload prefix that the parse errors hide.
    let src = "{{arr.1}} {{payload.title}} {{x[2]}}\n{{organizer}}";
    let diags = lint(src);
    assert_eq!(
        codes(&diags),
        [
            "NUMERIC_SEGMENT",
            "REFERENCE_PAYLOAD_PREFIX",
            "REFERENCE_INDEX_SYNTAX",
            "OBJECT_RENDER"
        ]
    );
    at(
        one(&diags, "REFERENCE_PAYLOAD_PREFIX"),
        Severity::Warning,
        (1, 13, 12, 25),
    );
    at(
        one(&diags, "OBJECT_RENDER"),
        Severity::Warning,
        (2, 1, 37, 50),
    );
    let fixed = apply_fixes(src, &diags);
    assert_eq!(fixed, "{{arr.[1]}} {{title}} {{x.[2]}}\n{{organizer.name}}");
}

#[test]
fn payload_prefix_only_for_flat_data() {
    let src = r#"{"f": "{{payload.formId}}"}"#;
    assert!(lint_template(src, &opts(Some("FORM_SUBMITTED"))).is_empty());
    let diags = lint_template(src, &opts(Some("BOOKING_CANCELLED")));
    let d = one(&diags, "REFERENCE_PAYLOAD_PREFIX");
    at(d, Severity::Warning, (1, 10, 9, 23));
    assert!(d.message.contains("BOOKING_CANCELLED"));
    // Also in block heads and with @root.
    let src = "{{#each payload.attendees}}{{email}}{{/each}}{{@root.payload.uid}}";
    let diags = lint(src);
    assert_eq!(
        apply_fixes(src, &diags),
        "{{#each attendees}}{{email}}{{/each}}{{@root.uid}}"
    );
    // oracle: payload.uid is empty on flat data, uid is not.
    assert_eq!(send("[{{payload.uid}}][{{uid}}]", FLAT), "[][u1]");
}

#[test]
fn json_breaking_free_text() {
    let src = r#"{"t": "{{title}}", "id": "{{uid}}"}"#;
    let diags = lint(src);
    let d = one(&diags, "JSON_BREAKING_VALUE");
    at(d, Severity::Warning, (1, 8, 7, 16));
    assert!(d.fix.is_none());
    assert!(d.message.contains("`false`"));
    assert!(d.message.contains("accept the risk"));
    // What happens: a `"` in the title breaks the JSON (the body becomes `false`).
    let out = send(src, FLAT);
    assert_eq!(
        out,
        r#"{"t": "O&#x27;Brien &amp; &lt;Co&gt; "x"", "id": "u1"}"#
    ); // oracle
    assert!(calhook::json::parse(&out).is_err());
    // Inside #each over attendees, `name` is free text too.
    let diags = lint(r#"{"n": "{{#each attendees}}{{name}},{{/each}}"}"#);
    at(
        one(&diags, "JSON_BREAKING_VALUE"),
        Severity::Warning,
        (1, 27, 26, 34),
    );
    // Not JSON (form-urlencoded): no JSON risk.
    assert!(!codes(&lint("Title: {{title}}")).contains(&"JSON_BREAKING_VALUE"));
}

#[test]
fn html_entities() {
    let src = "Link: {{metadata.videoCallUrl}} by {{~organizer.name~}} .";
    let diags = lint(src);
    let entities: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "HTML_ENTITY").collect();
    assert_eq!(entities.len(), 2);
    at(entities[0], Severity::Warning, (1, 7, 6, 31));
    assert_eq!(fix_of(entities[0]), (6, 31, "{{{metadata.videoCallUrl}}}"));
    at(entities[1], Severity::Info, (1, 36, 35, 55));
    assert_eq!(fix_of(entities[1]), (35, 55, "{{~{organizer.name}~}}"));
    let fixed = apply_fixes(src, &diags);
    assert_eq!(
        fixed,
        "Link: {{{metadata.videoCallUrl}}} by {{~{organizer.name}~}} ."
    );
    assert!(lint(&fixed).is_empty());
    // oracle
    assert_eq!(
        send(src, FLAT),
        "Link: https://x/?a&#x3D;1&amp;b&#x3D;2 byOrg."
    );
    assert_eq!(send(&fixed, FLAT), "Link: https://x/?a=1&b=2 byOrg.");
    // oracle: an apostrophe arrives as &#x27; through {{x}}, raw through {{{x}}}.
    assert_eq!(
        send("{{title}}|{{{title}}}", FLAT),
        r#"O&#x27;Brien &amp; &lt;Co&gt; "x"|O'Brien & <Co> "x""#
    );
}

#[test]
fn object_renders() {
    let src = "{{organizer}} / {{attendees}} / {{organizer.language}}";
    let diags = lint(src);
    assert_eq!(
        codes(&diags),
        ["OBJECT_RENDER", "OBJECT_RENDER", "OBJECT_RENDER"]
    );
    at(&diags[0], Severity::Warning, (1, 1, 0, 13));
    assert_eq!(fix_of(&diags[0]), (2, 11, "organizer.name"));
    at(&diags[1], Severity::Warning, (1, 17, 16, 29));
    assert_eq!(fix_of(&diags[1]), (18, 27, "attendees.0.name"));
    assert_eq!(fix_of(&diags[2]), (34, 52, "organizer.language.locale"));
    // oracle
    assert_eq!(send("{{organizer}}", FLAT), "[object Object]");
    let fixed = apply_fixes(src, &diags);
    assert_eq!(
        fixed,
        "{{organizer.name}} / {{attendees.0.name}} / {{organizer.language.locale}}"
    );
    // (organizer.name is free text: an HTML_ENTITY note remains.)
    no_errors_or_warnings(&lint(&fixed));
    assert_eq!(
        send("{{organizer.name}} / {{attendees.0.name}}", FLAT),
        "Org / Ann"
    ); // oracle
       // `this` inside #each over attendees, and an indexed element.
    let diags = lint("{{#each attendees}}{{this}}{{/each}}{{attendees.[0]}}");
    assert_eq!(codes(&diags), ["OBJECT_RENDER", "OBJECT_RENDER"]);
    assert_eq!(
        apply_fixes(
            "{{#each attendees}}{{this}}{{/each}}{{attendees.[0]}}",
            &diags
        ),
        "{{#each attendees}}{{name}}{{/each}}{{attendees.[0].name}}"
    );
}

#[test]
fn not_json_unquoted_mustache() {
    let src = "{\n  \"id\": {{bookingId}},\n  \"uid\": \"{{uid}}\"\n}";
    let diags = lint(src);
    let d = one(&diags, "NOT_JSON_TEMPLATE");
    at(d, Severity::Warning, (2, 9, 10, 23));
    assert_eq!(fix_of(d), (10, 23, "\"{{bookingId}}\""));
    assert!(d.message.contains("x-www-form-urlencoded"));
    assert!(d.message.contains("string"));
    let fixed = apply_fixes(src, &diags);
    assert!(lint(&fixed).is_empty());
    assert_eq!(
        send(&fixed, FLAT),
        "{\n  \"id\": \"42\",\n  \"uid\": \"u1\"\n}"
    ); // oracle
}

#[test]
fn not_json_other_causes() {
    // A leading comment.
    let src = "{{!-- booking --}}{\"a\": \"{{uid}}\"}";
    let diags = lint(src);
    let d = one(&diags, "NOT_JSON_TEMPLATE");
    at(d, Severity::Warning, (1, 1, 0, 18));
    assert_eq!(apply_fixes(src, &diags), "{\"a\": \"{{uid}}\"}");
    // A trailing comma.
    let src = "{\"a\": \"{{uid}}\",\n}";
    let diags = lint(src);
    let d = one(&diags, "NOT_JSON_TEMPLATE");
    at(d, Severity::Warning, (2, 1, 17, 18));
    assert!(d.message.contains("trailing comma"));
    assert_eq!(apply_fixes(src, &diags), "{\"a\": \"{{uid}}\"\n}");
    // Single quotes: not mistaken for unquoted mustaches.
    let diags = lint("{'a': '{{uid}}'}");
    let d = one(&diags, "NOT_JSON_TEMPLATE");
    at(d, Severity::Warning, (1, 2, 1, 2));
    assert!(d.message.contains("single quotes"));
    assert!(d.fix.is_none());
    // A byte order mark.
    let src = "\u{feff}{\"a\": \"{{uid}}\"}";
    let diags = lint(src);
    let d = one(&diags, "NOT_JSON_TEMPLATE");
    at(d, Severity::Warning, (1, 1, 0, 3));
    assert_eq!(apply_fixes(src, &diags), "{\"a\": \"{{uid}}\"}");
    // A block outside strings: explained, no fix.
    let diags = lint("[{{#each attendees}}\"{{email}}\",{{/each}}]");
    let d = one(&diags, "NOT_JSON_TEMPLATE");
    at(d, Severity::Warning, (1, 2, 1, 41));
    assert!(d.fix.is_none());
    // Falsy JSON.
    for src in ["0", "false", "null", "\"\"", " 0 "] {
        let diags = lint(src);
        let d = one(&diags, "NOT_JSON_TEMPLATE");
        assert!(d.message.contains("falsy"), "{src}");
    }
    let d = &lint(" 0 ")[0];
    at(d, Severity::Warning, (1, 2, 1, 2));
    // Truthy JSON and plain text: nothing.
    for src in [
        "1",
        "true",
        "[]",
        "{}",
        "\"x\"",
        "Booking {{uid}}",
        "{{uid}}",
    ] {
        assert!(lint(src).is_empty(), "{src}");
    }
}

#[test]
fn helpers() {
    let diags = lint("{{foo bar}}");
    let d = one(&diags, "UNKNOWN_HELPER");
    at(d, Severity::Error, (1, 3, 2, 9));
    assert!(d.message.contains("Missing helper"));
    // A section on data is fine.
    assert!(lint("{{#uid}}x{{/uid}}").is_empty());
    // oracle
    assert_eq!(send("{{#uid}}x{{/uid}}", FLAT), "x");
    let diags = lint("{{#foo bar}}x{{/foo}}");
    at(
        one(&diags, "UNKNOWN_HELPER"),
        Severity::Error,
        (1, 4, 3, 10),
    );
    // Hash only: renders empty.
    let diags = lint("{{foo a=1}}");
    at(
        one(&diags, "UNKNOWN_HELPER"),
        Severity::Warning,
        (1, 3, 2, 9),
    );
    // Sub-expressions.
    let diags = lint("{{lookup (foo uid) 'a'}}");
    assert_eq!(codes(&diags), ["UNKNOWN_HELPER"]);
    // Built-ins used wrongly.
    for src in [
        "{{if uid}}",
        "{{each}}",
        "{{lookup attendees}}",
        "{{#if}}x{{/if}}",
        "{{#each}}x{{/each}}",
        "{{#with a b}}x{{/with}}",
    ] {
        let diags = lint(src);
        assert_eq!(codes(&diags), ["HELPER_USAGE"], "{src}");
        assert_eq!(diags[0].severity, Severity::Error);
    }
    // Built-ins used rightly.
    for src in [
        "{{#if uid}}a{{else if title}}b{{else}}c{{/if}}",
        "{{#unless uid}}x{{/unless}}",
        "{{#with organizer}}{{email}}{{/with}}",
        "{{lookup attendees 0}}",
        "{{log uid}}",
        "{{this.uid}}",
    ] {
        assert!(lint(src).is_empty(), "{src}: {:#?}", lint(src));
    }
}

#[test]
fn unsupported() {
    let diags = lint("a {{> footer}}");
    at(one(&diags, "UNSUPPORTED"), Severity::Error, (1, 3, 2, 14));
    let diags = lint("{{* deco}}");
    at(one(&diags, "UNSUPPORTED"), Severity::Error, (1, 1, 0, 10));
    let diags = lint("{{#*inline \"p\"}}x{{/inline}}");
    assert_eq!(one(&diags, "UNSUPPORTED").severity, Severity::Error);
    let diags = lint("{{#> p}}fallback{{/p}}");
    assert_eq!(one(&diags, "UNSUPPORTED").severity, Severity::Warning);
}

#[test]
fn unknown_variables() {
    let t = opts(Some("BOOKING_CREATED"));
    let src = "{{startime}} {{organiser.email}} {{attendees.email}} {{title.x}} {{bookerUrl}}";
    let diags = lint_template(src, &t);
    assert_eq!(
        codes(&diags),
        [
            "UNKNOWN_VARIABLE",
            "UNKNOWN_VARIABLE",
            "UNKNOWN_VARIABLE",
            "UNKNOWN_VARIABLE",
            "UNKNOWN_VARIABLE"
        ]
    );
    at(&diags[0], Severity::Warning, (1, 3, 2, 10));
    assert_eq!(fix_of(&diags[0]), (2, 10, "startTime"));
    assert!(diags[0].message.contains("Did you mean `{{startTime}}`"));
    at(&diags[1], Severity::Warning, (1, 16, 15, 30));
    assert_eq!(fix_of(&diags[1]), (15, 24, "organizer"));
    at(&diags[2], Severity::Warning, (1, 36, 35, 50));
    assert_eq!(fix_of(&diags[2]), (45, 45, "0."));
    at(&diags[3], Severity::Warning, (1, 56, 55, 62));
    assert!(diags[3].fix.is_none());
    // Extra fields do occur: only a note.
    at(&diags[4], Severity::Info, (1, 68, 67, 76));
    let fixed = apply_fixes(src, &diags);
    assert_eq!(
        fixed,
        "{{startTime}} {{organizer.email}} {{attendees.0.email}} {{title.x}} {{bookerUrl}}"
    );
    // oracle: the unknown forms render empty, the fixed ones do not.
    let data = r#"{"attendees": [{"name": "Ann", "email": "a@x.com"}], "startTime": "2024-01-15T10:00:00.000Z"}"#;
    assert_eq!(
        send("[{{attendees.email}}][{{attendees.0.email}}]", data),
        "[][a@x.com]"
    );
    assert_eq!(
        send("[{{startime}}][{{startTime}}]", data),
        "[][2024-01-15T10:00:00.000Z]"
    );
    assert_eq!(
        send(
            "{{#each attendees as |a|}}[{{a.emial}}][{{a.email}}]{{/each}}",
            data
        ),
        "[][a@x.com]"
    );
    // Without a trigger nothing is checked.
    assert!(lint(src).iter().all(|d| d.code != "UNKNOWN_VARIABLE"));
    // Open maps: anything under responses.
    assert!(lint_template("{{responses.whatever.value}}", &t)
        .iter()
        .all(|d| d.code != "UNKNOWN_VARIABLE"));
}

#[test]
fn unknown_variables_follow_scopes() {
    let t = opts(Some("BOOKING_CREATED"));
    let src = "{{#each attendees as |a i|}}{{a.emial}}{{emial}}{{this.email}}{{../titel}}{{@root.uid}}{{i}}{{#if a}}{{../uid}}{{/if}}{{/each}}{{#with organizer}}{{timeZone}}{{nam}}{{/with}}";
    let diags = lint_template(src, &t);
    let unknown: Vec<(usize, usize, Option<String>)> = diags
        .iter()
        .filter(|d| d.code == "UNKNOWN_VARIABLE")
        .map(|d| {
            (
                d.span.start,
                d.span.end,
                d.fix.as_ref().map(|f| f.replacement.clone()),
            )
        })
        .collect();
    assert_eq!(
        unknown,
        [
            (30, 37, Some("email".into())),
            (41, 46, Some("email".into())),
            (64, 72, Some("title".into())),
            (160, 163, Some("name".into())),
        ]
    );
    let fixed = apply_fixes(src, &diags);
    assert!(fixed.contains("{{a.email}}{{email}}{{this.email}}{{../title}}"));
    assert!(fixed.contains("{{#with organizer}}{{timeZone}}{{name}}{{/with}}"));
}

#[test]
fn generic_trigger_fields_live_under_payload() {
    let t = opts(Some("FORM_SUBMITTED"));
    let src = r#"{"form": "{{formId}}", "x": "{{payload.fromId}}"}"#;
    let diags = lint_template(src, &t);
    assert_eq!(codes(&diags), ["UNKNOWN_VARIABLE", "UNKNOWN_VARIABLE"]);
    at(&diags[0], Severity::Warning, (1, 13, 12, 18));
    assert_eq!(fix_of(&diags[0]), (12, 12, "payload."));
    assert_eq!(fix_of(&diags[1]), (39, 45, "formId"));
    let fixed = apply_fixes(src, &diags);
    assert_eq!(
        fixed,
        r#"{"form": "{{payload.formId}}", "x": "{{payload.formId}}"}"#
    );
    assert!(lint_template(&fixed, &t).is_empty());
    // oracle: generic data is nested.
    let data = r#"{"triggerEvent": "FORM_SUBMITTED", "payload": {"formId": "f1"}}"#;
    assert_eq!(send("[{{formId}}][{{payload.formId}}]", data), "[][f1]");
}

#[test]
fn unknown_trigger_is_a_note() {
    let diags = lint_template("{{uid}}", &opts(Some("SOMETHING_NEW")));
    assert_eq!(codes(&diags), ["UNKNOWN_TRIGGER"]);
    assert_eq!(diags[0].severity, Severity::Info);
}

#[test]
fn apply_fixes_skips_overlaps_and_bad_spans() {
    let src = "{{organizer}}";
    let mut diags = lint(src);
    assert_eq!(diags.len(), 1);
    let mut other = diags[0].clone();
    if let Some(f) = other.fix.as_mut() {
        f.replacement = "organizer.email".into();
    }
    diags.push(other);
    let mut bad = diags[0].clone();
    if let Some(f) = bad.fix.as_mut() {
        f.span.start = 100;
        f.span.end = 200;
    }
    diags.push(bad);
    assert_eq!(apply_fixes(src, &diags), "{{organizer.name}}");
    assert_eq!(apply_fixes(src, &[]), src);
}

#[test]
fn sorted_and_multiline_spans() {
    let src = "{\n  \"t\": \"{{title}}\",\n  \"o\": \"{{organizer}}\"\n}";
    let diags = lint(src);
    assert!(diags.windows(2).all(|w| w[0].span.start <= w[1].span.start));
    let o = one(&diags, "OBJECT_RENDER");
    at(o, Severity::Warning, (3, 9, 30, 43));
    assert_eq!(&src[o.span.start..o.span.end], "{{organizer}}");
}

#[test]
fn empty_template_is_the_default_payload() {
    assert!(lint("").is_empty());
}

#[test]
fn severity_strings() {
    assert_eq!(Severity::Error.as_str(), "error");
    assert_eq!(Severity::Warning.as_str(), "warning");
    assert_eq!(Severity::Info.as_str(), "info");
}

// ---------------------------------------------------------------------------------------------

const FRAGMENTS: &[&str] = &[
    "{{",
    "}}",
    "}}}",
    "{{{",
    "{",
    "}",
    "[",
    "]",
    "[0]",
    ".",
    "/",
    "..",
    "../",
    "this",
    "@root",
    "payload",
    "attendees",
    "title",
    "organizer",
    "0",
    "#each",
    "#if",
    "#with",
    "/each",
    "/if",
    "else",
    "~",
    " ",
    "\n",
    "\"",
    "'",
    "\\",
    ",",
    ":",
    "!",
    "!--",
    "--",
    ">",
    "*",
    "as |a|",
    "=",
    "(",
    ")",
    "é",
    "\u{feff}",
    "\u{2028}",
    "foo",
    "lookup",
    "&",
    "^",
];

fn fragment_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|v| v.concat())
}

fn check_no_panic(src: &str, trigger: Option<&str>, dialect: Dialect) {
    let options = LintOptions {
        dialect,
        trigger: trigger.map(str::to_string),
    };
    let diags = lint_template(src, &options);
    for d in &diags {
        assert!(
            d.span.start <= d.span.end && d.span.end <= src.len(),
            "{d:?}"
        );
        assert!(src.is_char_boundary(d.span.start) && src.is_char_boundary(d.span.end));
        if let Some(f) = &d.fix {
            assert!(
                f.span.start <= f.span.end && f.span.end <= src.len(),
                "{d:?}"
            );
        }
    }
    assert!(diags.windows(2).all(|w| w[0].span.start <= w[1].span.start));
    let fixed = apply_fixes(src, &diags);
    let _ = lint_template(&fixed, &options);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn random_strings_never_panic(src in "\\PC{0,60}") {
        check_no_panic(&src, None, Dialect::Calcom);
        check_no_panic(&src, Some("BOOKING_CREATED"), Dialect::Reference);
    }

    #[test]
    fn template_like_strings_never_panic(src in fragment_strategy()) {
        check_no_panic(&src, None, Dialect::Calcom);
        check_no_panic(&src, Some("BOOKING_CREATED"), Dialect::Calcom);
        check_no_panic(&src, Some("FORM_SUBMITTED"), Dialect::Calcom);
        check_no_panic(&src, None, Dialect::Reference);
    }
}

#[test]
fn open_maps_and_with_this() {
    let t = opts(Some("BOOKING_CREATED"));
    for src in [
        "{{metadata.anything}}",
        "{{responses.notes.value}}",
        "{{userFieldsResponses.x.value}}",
        "{{#with this}}{{../uid}}{{/with}}",
        "{{#each responses}}{{@key}}: {{{value}}}{{/each}}",
        "{{#attendees}}{{email}}{{/attendees}}",
        "{{#organizer}}{{email}}{{/organizer}}{{^attendees}}none{{/attendees}}",
    ] {
        let diags = lint_template(src, &t);
        assert!(
            diags.iter().all(|d| d.code != "UNKNOWN_VARIABLE"),
            "{src}: {diags:#?}"
        );
    }
    // Sections set the context too.
    let diags = lint_template("{{#organizer}}{{emial}}{{/organizer}}", &t);
    assert_eq!(fix_of(one(&diags, "UNKNOWN_VARIABLE")).2, "email");
}

#[test]
fn js_index_under_root_and_this() {
    let src = "{{@root.payload.attendees[0].email}}";
    let diags = lint(src);
    assert_eq!(codes(&diags), ["REFERENCE_INDEX_SYNTAX"]);
    assert_eq!(apply_fixes(src, &diags), "{{@root.attendees.0.email}}");
    // oracle
    assert_eq!(send("{{@root.attendees.0.email}}", FLAT), "a@x.com");
}

#[test]
fn spans_count_characters_and_lines() {
    let src = "Café 😀\r\n{{organizer}}";
    let diags = lint(src);
    let d = one(&diags, "OBJECT_RENDER");
    at(d, Severity::Warning, (2, 1, 12, 25));
    let src = "é {{organizer}}";
    at(
        one(&lint(src), "OBJECT_RENDER"),
        Severity::Warning,
        (1, 3, 3, 16),
    );
    assert_eq!(apply_fixes(src, &lint(src)), "é {{organizer.name}}");
}

#[test]
fn many_syntax_errors_stop_with_a_syntax_error() {
    let src = "{{a[0]}} ".repeat(100);
    let diags = lint(&src);
    assert_eq!(
        diags
            .iter()
            .filter(|d| d.code == "REFERENCE_INDEX_SYNTAX")
            .count(),
        63
    );
    let last = one(&diags, "TEMPLATE_SYNTAX");
    assert_eq!(last.span.start, 63 * 9 + 2);
    assert!(last.message.contains("lint again"));
    // Applying and linting again converges.
    let mut text = src.clone();
    for _ in 0..3 {
        text = apply_fixes(&text, &lint(&text));
    }
    assert_eq!(text, "{{a.[0]}} ".repeat(100));
}

#[test]
fn every_documented_variable_lints_clean() {
    for info in calhook::event::TRIGGERS {
        let vars = calhook::event::template_variables(info.name).expect("known trigger");
        for v in vars {
            let src = format!("{{{{{}}}}}", v.path);
            let diags = lint_template(&src, &opts(Some(info.name)));
            let bad: Vec<&Diagnostic> = diags
                .iter()
                .filter(|d| {
                    d.severity == Severity::Error
                        || matches!(
                            d.code.as_str(),
                            "UNKNOWN_VARIABLE" | "REFERENCE_PAYLOAD_PREFIX"
                        )
                })
                .collect();
            assert!(bad.is_empty(), "{} {src}: {bad:#?}", info.name);
        }
    }
}

const JSONISH: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"k\"",
    ":",
    ",",
    " ",
    "\n",
    "\"",
    "{{uid}}",
    "{{bookingId}}",
    "{{title}}",
    "{{organizer}}",
    "{{payload.uid}}",
    "{{payload.attendees[0].email}}",
    "{{attendees.0}}",
    "{{x}}}",
    "{{!-- c --}}",
    "{{#each attendees}}",
    "{{/each}}",
    "{{#if uid}}",
    "{{/if}}",
    "{{else}}",
    "{{email}}",
    "{{../title}}",
    "{{this}}",
    "{{metadata.videoCallUrl}}",
    "{{startime}}",
    "{{attendees.email}}",
    "{{formId}}",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Fixes never make a parsable template unparsable, and repeated fixing terminates.
    #[test]
    fn fixes_keep_templates_parsable(
        parts in prop::collection::vec(prop::sample::select(JSONISH), 0..24),
        trigger in prop::sample::select(&[None, Some("BOOKING_CREATED"), Some("FORM_SUBMITTED")][..]),
    ) {
        let src = parts.concat();
        let options = opts(trigger);
        let parsable = |s: &str| calhook::template::compile(s, &CompileOptions::default()).is_ok();
        let mut text = src.clone();
        let mut was_parsable = parsable(&text);
        for _ in 0..6 {
            let next = apply_fixes(&text, &lint_template(&text, &options));
            if next == text {
                break;
            }
            let now = parsable(&next);
            prop_assert!(!was_parsable || now, "{:?} -> {:?}", text, next);
            was_parsable = now;
            text = next;
        }
    }
}
