//! The direct renderer (`Template::try_render_json`, used by the wasm binding) must agree with
//! parsing the JSON and rendering the tree: whenever it answers, `json::parse` accepts the text
//! and `Template::render` gives the same output. (The tree renderer is itself checked against
//! handlebars 4.7.10 by the conformance and differential suites; tests/js runs the package,
//! which takes the direct path, against the real handlebars.)

use calhook::json::{self, Value};
use calhook::template::{compile, CompileOptions, Limits, Template};
use proptest::prelude::*;

/// Checks agreement; returns whether the direct path answered.
fn agrees(t: &Template, text: &str, what: &str) -> bool {
    let Some(fast) = t.try_render_json(text) else {
        return false;
    };
    let data = json::parse(text)
        .unwrap_or_else(|e| panic!("{what}: direct path accepted invalid JSON {text:?}: {e}"));
    let slow = t
        .render(&data)
        .unwrap_or_else(|e| panic!("{what}: direct path answered, render failed: {e}"));
    assert_eq!(fast, slow, "{what}\ndata: {text}");
    true
}

fn template(source: &str) -> Template {
    compile(source, &CompileOptions::default()).expect("template compiles")
}

/// The booking fixture (the benchmarks' data, tests/fixtures/booking.json) with its first
/// `attendees` attendees and the fields the benchmarks add (`triggerEvent`, `createdAt`).
fn booking(attendees: usize) -> String {
    let fixture = json::parse(include_str!("fixtures/booking.json")).expect("fixture parses");
    let mut o = fixture.as_object().expect("an object").clone();
    let list = o
        .get("attendees")
        .and_then(Value::as_array)
        .expect("attendees");
    let kept = list.iter().take(attendees).cloned().collect();
    o.insert("attendees", Value::array(kept));
    o.insert("triggerEvent", Value::string("BOOKING_CREATED"));
    o.insert("createdAt", Value::string("2024-01-15T10:00:00.000Z"));
    json::stringify(&Value::object(o))
}

const LARGE: &str = r#"{
  "event": "{{triggerEvent}}",
  "created": "{{createdAt}}",
  "booking": { "uid": "{{uid}}", "id": "{{bookingId}}", "title": "{{title}}", "start": "{{startTime}}", "end": "{{endTime}}" },
  "organizer": { "name": "{{organizer.name}}", "email": "{{organizer.email}}", "tz": "{{organizer.timeZone}}" },
  "attendees": [
    {{#each attendees}}
    { "i": "{{@index}}", "name": "{{name}}", "email": "{{email}}", "tz": "{{timeZone}}", "locale": "{{language.locale}}"{{#if @first}}, "first": true{{/if}} }{{#unless @last}},{{/unless}}
    {{/each}}
  ],
  "video": "{{#if metadata.videoCallUrl}}{{metadata.videoCallUrl}}{{else}}none{{/if}}",
  "status": "{{status}}"
}"#;

#[test]
fn benchmark_templates_take_the_direct_path() {
    for source in [
        LARGE,
        r#"{"event": "{{triggerEvent}}", "booking_id": "{{uid}}", "attendee": "{{attendees.0.email}}"}"#,
    ] {
        let t = template(source);
        for n in [0, 1, 2, 60] {
            assert!(
                agrees(&t, &booking(n), source),
                "direct path declined {n} attendees"
            );
        }
    }
}

#[test]
fn outside_the_subset_the_direct_path_declines() {
    let data = r#"{"a":{"b":1},"l":[1,2],"o":{"k":"v"},"s":"str","x":"X"}"#;
    for source in [
        "{{{x}}}",
        "{{this}}",
        "{{#each l as |v|}}{{v}}{{/each}}",
        "{{#with a}}{{b}}{{/with}}",
        "{{#a}}{{b}}{{/a}}",
        "{{lookup a 'b'}}",
        "{{#each l}}{{../x}}{{/each}}",
        "{{> p}}",
        "{{#if x includeZero=true}}y{{/if}}",
    ] {
        assert!(template(source).try_render_json(data).is_none(), "{source}");
    }
    // In the subset, but the data needs the tree.
    for (source, data) in [
        ("{{a}}", data),
        ("{{l}}", data),
        ("{{#each o}}{{this}}{{/each}}", data),
        ("{{#each o}}{{@key}}{{/each}}", data),
        ("{{s.length}}", data),
        ("{{s.[0]}}", data),
        ("{{x}}", "{\"x\":1,}"),
        ("{{x}}", "{\"x\":\"\u{1}\"}"),
        ("{{x}}", "[01]"),
        ("{{x}}", "{\"x\":1} x"),
    ] {
        let t = template(source);
        assert!(t.try_render_json(data).is_none(), "{source} {data}");
    }
}

#[test]
fn values_print_as_the_tree_does() {
    let data = r#"{"n":[0,-0,1.5,1e21,1e400,-1e400,1e-7,12345678901234567890,0.1,5e-324],
        "s":["a\"b","\u00e9\ud83d\ude00","\ud800","<&>'`=","\\n","\/"],
        "b":[true,false,null], "e":[], "o":{}, "z":"", "d":{"k":1,"k":2},
        "\u0078":"escaped key", "length":3, "l":{"length":7}}"#;
    let source = "{{#each n}}{{this.x}}{{@index}}={{#if @first}}F{{/if}}{{#if @last}}L{{/if}};{{/each}}|\
        {{n.[0]}} {{n.[1]}} {{n.[2]}} {{n.[3]}} {{n.[4]}} {{n.[5]}} {{n.[6]}} {{n.[7]}} {{n.[8]}} {{n.[9]}} {{n.length}}|\
        {{s.[0]}} {{s.[1]}} {{s.[2]}} {{s.[3]}} {{s.[4]}} {{s.[5]}} {{s.[9]}}|\
        {{b.[0]}} {{b.[1]}} {{b.[2]}} {{#if e}}e{{else}}!e{{/if}} {{#if o}}o{{/if}} {{#unless z}}!z{{/unless}}|\
        {{d.k}} {{x}} {{length}} {{l.length}} {{#each e}}x{{else}}empty{{/each}} {{#each z}}x{{else}}nz{{/each}}|\
        {{@root.d.k}} {{@index}} {{@first}} {{@foo}} {{@root.n.[0].x}} {{@root.z.y}}";
    let t = template(source);
    assert!(agrees(&t, data, source), "direct path declined");
    for (cond, data) in [
        ("0", "0"),
        ("-0", "-0"),
        ("0.0", "0.0"),
        ("1e400", "1e400"),
        ("\"\"", "\"\""),
        ("\"\\u0000\"", "\"\\u0000\""),
        ("[]", "[]"),
        ("[0]", "[0]"),
        ("{}", "{}"),
        ("null", "null"),
        ("false", "false"),
    ] {
        let wrapped = format!("{{\"c\":{data}}}");
        for source in [
            "{{#if c}}y{{else}}n{{/if}}",
            "{{#unless c}}y{{else}}n{{/unless}}",
            "{{#each c}}[{{@index}}]{{else}}none{{/each}}",
            "{{@root.c.x}}|{{c.x}}",
        ] {
            agrees(
                &template(source),
                &wrapped,
                &format!("{source} with {cond}"),
            );
        }
    }
}

#[test]
fn limits_leave_the_decision_to_the_tree() {
    let options = CompileOptions {
        limits: Limits {
            max_output_bytes: 10,
            ..Limits::default()
        },
        ..CompileOptions::default()
    };
    let t = compile("{{#each l}}{{this.a}}xx{{/each}}", &options).expect("compiles");
    assert!(t.try_render_json(r#"{"l":[1,2,3,4,5]}"#).is_some());
    assert!(t.try_render_json(r#"{"l":[1,2,3,4,5,6]}"#).is_none());
    // Steps: 2,000,000 iterations and statements at most.
    let t = template("{{#each l}}{{#each ../l}}{{/each}}{{/each}}");
    assert!(
        t.try_render_json("{}").is_none(),
        "`../` is outside the subset"
    );
    let t = template("{{#each l}}{{#each @root.l}}{{/each}}{{/each}}");
    let list = format!("{{\"l\":[{}]}}", vec!["0"; 1500].join(","));
    assert!(t.try_render_json(&list).is_none(), "2.25M steps");
    assert!(t.render(&json::parse(&list).expect("json")).is_err());
    // Deep data: 512 levels is the parser's limit.
    let deep = format!("{}{}", "[".repeat(513), "]".repeat(513));
    assert!(template("{{x}}").try_render_json(&deep).is_none());
    let ok = format!("{}{}", "[".repeat(512), "]".repeat(512));
    assert!(agrees(&template("{{length}}"), &ok, "512 levels"));
    // Large objects and far indices are searched by the tree.
    let keys: Vec<String> = (0..100).map(|i| format!("\"k{i}\":{i}")).collect();
    let big = format!("{{{}}}", keys.join(","));
    assert!(template("{{k99}}").try_render_json(&big).is_none());
    let far = format!("[{}]", vec!["1"; 100].join(","));
    assert!(template("{{[99]}}").try_render_json(&far).is_none());
    assert!(agrees(&template("{{[9]}}"), &far, "near index"));
}

// ---- The word form (src/json/words.rs, written by js/src/crossing.js).

fn words_of(v: &Value) -> (String, usize, Vec<u8>) {
    let w = json::Words::of(v);
    (w.text, w.units, w.words)
}

/// The word form of `json` renders as the tree does (output, or the error's code).
fn words_agree(t: &Template, json: &str, what: &str) {
    let data = json::parse(json).expect("generated JSON parses");
    let (text, units, words) = words_of(&data);
    let got = t
        .render_words(&text, units, &words)
        .unwrap_or_else(|| panic!("{what}: words declined for {json}"));
    let want = t.render(&data);
    match (got, want) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{what}\ndata: {json}"),
        (Err(a), Err(b)) => assert_eq!(a.code, b.code, "{what}\ndata: {json}"),
        (a, b) => panic!("{what}: words {a:?}, tree {b:?}\ndata: {json}"),
    }
}

#[test]
fn words_the_js_layer_cannot_vouch_for_are_declined() {
    let t = template("{{a}}{{b}}");
    let (text, units, words) = words_of(&json::parse(r#"{"a":"😀","b":"é"}"#).expect("json"));
    assert_eq!(
        t.render_words(&text, units, &words).map(Result::ok),
        Some(Some("😀é".into()))
    );
    // An offset inside the emoji (a lone surrogate at a string's end met its pair in the next
    // string when JS encoded the text), a wrong UTF-16 length, trailing or missing words.
    let mut inside = words.clone();
    inside[32..36].copy_from_slice(&2u32.to_le_bytes());
    assert!(t.render_words(&text, units, &inside).is_none());
    assert!(t.render_words(&text, units + 1, &words).is_none());
    let mut extra = words.clone();
    extra.extend_from_slice(&[0; 12]);
    assert!(t.render_words(&text, units, &extra).is_none());
    assert!(t
        .render_words(&text, units, &words[..words.len() - 12])
        .is_none());
    assert!(t
        .render_words(&text, units, &words[..words.len() - 1])
        .is_none());
    // A key that is not a string, an unknown kind.
    let (_, _, mut bad_key) = words_of(&json::parse(r#"{"a":1}"#).expect("json"));
    bad_key[12..16].copy_from_slice(&3u32.to_le_bytes());
    assert!(t.render_words("a", 1, &bad_key).is_none());
    assert!(t
        .render_words("", 0, &[7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        .is_none());
    // Nesting: 512 levels as the JSON parser takes, not one more.
    let nest = |n: usize| {
        (0..n)
            .flat_map(|_| [5u8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
            .chain([0; 12])
            .collect::<Vec<u8>>()
    };
    assert!(template("{{length}}")
        .render_words("", 0, &nest(512))
        .is_some());
    assert!(template("{{length}}")
        .render_words("", 0, &nest(513))
        .is_none());
}

#[test]
fn words_of_the_benchmark_data_take_the_direct_path() {
    let data = json::parse(&booking(60)).expect("json");
    let (text, units, words) = words_of(&data);
    let t = template(LARGE);
    assert_eq!(
        t.render_words(&text, units, &words).map(Result::ok),
        Some(t.try_render_json(&booking(60)))
    );
}

// ---- Generated templates and data.

const KEYS: &[&str] = &[
    "a",
    "b",
    "x",
    "l",
    "length",
    "0",
    "1",
    "__proto__",
    "é",
    "toString",
];

fn path() -> impl Strategy<Value = String> {
    let part = prop::sample::select(KEYS).prop_map(|k| match k {
        "0" | "1" | "é" => format!("[{k}]"),
        k => k.to_string(),
    });
    (
        prop::sample::select(
            &[
                "", "", "", "this.", "@root.", "@index", "@first", "@last", "@key", "", "@foo.",
                "", "../",
            ][..],
        ),
        prop::collection::vec(part, 1..4),
    )
        .prop_map(|(head, parts)| match head {
            "@index" | "@first" | "@last" | "@key" => head.to_string(),
            _ => format!("{head}{}", parts.join(".")),
        })
}

fn fragment() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => path().prop_map(|p| format!("{{{{{p}}}}}")),
        1 => path().prop_map(|p| format!("{{{{{{{p}}}}}}}")).prop_filter("mostly escaped", |p| p.len() % 4 == 0),
        2 => prop::sample::select(&["-", " ", "<&\"'>", "\n", "é😀", "{{! c }}", "{{~ a ~}}", "{{this}}", ""][..]).prop_map(str::to_string),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        (
            prop::sample::select(&["if", "unless", "each", "if", "each", "each", "with", "a"][..]),
            path(),
            prop::collection::vec(inner.clone(), 0..4),
            prop::option::of(prop::collection::vec(inner, 0..3)),
        )
            .prop_map(|(helper, p, body, inverse)| {
                let open = if helper == "a" {
                    "{{#a}}".to_string()
                } else {
                    format!("{{{{#{helper} {p}}}}}")
                };
                let close = if helper == "a" {
                    "{{/a}}".to_string()
                } else {
                    format!("{{{{/{helper}}}}}")
                };
                let inverse = inverse
                    .map(|i| format!("{{{{else}}}}{}", i.concat()))
                    .unwrap_or_default();
                format!("{open}{}{inverse}{close}", body.concat())
            })
    })
}

fn scalar() -> impl Strategy<Value = String> {
    prop::sample::select(
        &[
            "null",
            "true",
            "false",
            "0",
            "-0",
            "1",
            "1.5",
            "1e400",
            "-2e-7",
            "3",
            "\"\"",
            "\"x\"",
            "\"<a href='x'>&amp;\"",
            "\"\\\"q\\\"\"",
            "\"\\u00e9\\ud83d\\ude00\"",
            "\"\\ud800\"",
            "\"tab\\tnl\\n\"",
            "\"é😀\"",
        ][..],
    )
    .prop_map(str::to_string)
}

fn value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, v)| {
                        let k = if k == "x" { "\\u0078" } else { k };
                        format!("\"{k}\" : {v}")
                    })
                    .collect();
                format!("{{ {} }}", members.join(", "))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5000, ..ProptestConfig::default() })]

    #[test]
    fn generated_templates_and_data_agree(parts in prop::collection::vec(fragment(), 1..5), data in value()) {
        let source = parts.concat();
        if let Ok(t) = compile(&source, &CompileOptions::default()) {
            agrees(&t, &data, &source);
            let wrapped = format!("{{\"a\":{data},\"l\":[{data},{data}],\"x\":{data}}}");
            agrees(&t, &wrapped, &source);
        }
    }

    #[test]
    fn words_render_as_the_tree(parts in prop::collection::vec(fragment(), 1..5), data in value()) {
        let source = parts.concat();
        if let Ok(t) = compile(&source, &CompileOptions::default()) {
            let wrapped = format!("{{\"a\":{data},\"l\":[{data},{data}],\"x\":{data}}}");
            words_agree(&t, &data, &source);
            words_agree(&t, &wrapped, &source);
        }
    }

    #[test]
    fn corrupted_words_never_panic(data in value(), edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4), cut in any::<prop::sample::Index>()) {
        let t = template("{{a}}{{#each a}}{{this.a}}{{/each}}{{#with a}}{{b}}{{/with}}");
        let (text, units, mut words) = words_of(&json::parse(&format!("{{\"a\":{data}}}")).expect("json"));
        for (at, b) in edits {
            let i = at.index(words.len());
            words[i] = b % 9;
        }
        // Any answer will do, but no panic; the same for a cut text or cut words.
        let _ = t.render_words(&text, units, &words);
        let _ = t.render_words(&text[..text.floor_char_boundary(cut.index(text.len() + 1))], units, &words);
        let _ = t.render_words(&text, units, &words[..cut.index(words.len() + 1)]);
    }

    #[test]
    fn corrupted_json_is_never_accepted(data in value(), edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4)) {
        let mut bytes = format!("{{\"a\":{data}}}").into_bytes();
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = match b % 8 {
                0 => b'"',
                1 => b'\\',
                2 => b',',
                3 => b'}',
                4 => b']',
                5 => b' ',
                6 => b'0',
                _ => b & 0x7f,
            };
        }
        let Ok(text) = std::str::from_utf8(&bytes) else { return Ok(()) };
        agrees(&template("{{a}}{{#each a}}{{this.a}}{{/each}}"), text, "corrupted");
    }
}

#[test]
fn generated_cases_mostly_take_the_direct_path() {
    // The property above would pass vacuously if the direct path always declined.
    let t = template("{{#each l}}{{a}}{{#if b}}{{x.a}}{{else}}-{{/if}}{{/each}}{{@root.a.length}}");
    let mut answered = 0;
    for data in [
        r#"{"l":[{"a":1,"b":true,"x":{"a":"<"}},{"a":"s","b":0}]}"#,
        r#"{"l":[]}"#,
        r#"{"l":null,"a":[1,2]}"#,
        r#"{"l":[null,1,"s",[1]]}"#,
    ] {
        answered += usize::from(agrees(&t, data, data));
    }
    assert_eq!(answered, 4);
}
