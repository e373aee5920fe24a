use super::reserialize;
use crate::json::{self, ParseOptions};
use proptest::prelude::*;

/// The slow path: parse to a value and write it out (`false` for text that is not JSON).
fn slow(text: &str) -> Option<String> {
    let options = ParseOptions {
        max_bytes: usize::MAX,
        ..ParseOptions::default()
    };
    match json::parse_with(text, &options) {
        Ok(parsed) => Some(json::stringify(&parsed.value)),
        Err(e) if e.code == json::JsonErrorCode::Depth => None,
        Err(_) => Some("false".to_string()),
    }
}

fn agrees(text: &str) -> Result<(), TestCaseError> {
    if let Some(fast) = reserialize(text) {
        prop_assert_eq!(Some(fast), slow(text), "{:?}", text);
    }
    Ok(())
}

#[test]
fn common_texts_are_written_directly() {
    for (text, want) in [
        ("{}", "{}"),
        ("[]", "[]"),
        (
            " { \"a\" : 1 , \"b\":[ true,false ,null ] }\n",
            r#"{"a":1,"b":[true,false,null]}"#,
        ),
        (
            r#"{"event": "BOOKING_CREATED", "n": 42, "x": -7}"#,
            r#"{"event":"BOOKING_CREATED","n":42,"x":-7}"#,
        ),
        (
            r#"{"s": "a\/b\n\u0041\u00e9\ud83d\ude00"}"#,
            "{\"s\":\"a/b\\nAé😀\"}",
        ),
        (
            r#"{"f": 1.50, "e": 1E3, "z": -0, "big": 12345678901234567890}"#,
            r#"{"f":1.5,"e":1000,"z":0,"big":12345678901234567000}"#,
        ),
        (r#"{"inf": 1e400}"#, r#"{"inf":null}"#),
        (r#""top""#, r#""top""#),
        ("  0.1  ", "0.1"),
        (
            r#"{"a": {"a": {"a": 1}}, "b": {"a": 2}}"#,
            r#"{"a":{"a":{"a":1}},"b":{"a":2}}"#,
        ),
        ("{\"u\": \"\u{2028}\u{7f}\"}", "{\"u\":\"\u{2028}\u{7f}\"}"),
    ] {
        assert_eq!(reserialize(text).as_deref(), Some(want), "{text}");
        assert_eq!(slow(text).as_deref(), Some(want), "{text}");
    }
}

#[test]
fn leaves_what_it_cannot_vouch_for_to_the_parser() {
    for text in [
        "",
        "{",
        "{\"a\":1,}",
        "[1,]",
        "{\"a\":1}x",
        "{\"a\" 1}",
        "01",
        "1.",
        ".5",
        "1e",
        "+1",
        "tru",
        "\"a\nb\"",
        "\"\\x\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "{\"a\":1,\"a\":2}",
        "{\"a\":1,\"\\u0061\":2}",
        "{\"b\":1,\"0\":2}",
        "{\"4294967294\":1}",
        "\u{feff}{}",
        "{{}}",
    ] {
        assert_eq!(reserialize(text), None, "{text:?}");
    }
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert_eq!(reserialize(&deep), None);
    let many: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{i}")).collect();
    assert_eq!(reserialize(&format!("{{{}}}", many.join(","))), None);
    // Not an index: kept in place by JS too.
    assert!(reserialize("{\"b\":1,\"01\":2,\"4294967295\":3,\"-1\":4}").is_some());
}

/// JSON-ish text: valid JSON with varied spellings (whitespace, escapes, number forms,
/// duplicate and index keys), sometimes broken.
fn text() -> impl Strategy<Value = String> {
    let ws = prop::sample::select(vec!["", "", " ", "\n  ", "\t", "\r\n"]);
    let string = prop::collection::vec(
        prop::sample::select(vec![
            "a",
            "b",
            "é",
            "😀",
            "\\n",
            "\\\"",
            "\\\\",
            "\\/",
            "\\u0041",
            "\\u00e9",
            "\\ud83d\\ude00",
            "\\ud800",
            "\\u0000",
            "\\u001f",
            "\\t",
            "\\b",
            "&",
            "<",
            "\u{2028}",
            " ",
            "\\x",
            "\u{7f}",
        ]),
        0..5,
    )
    .prop_map(|parts| format!("\"{}\"", parts.concat()));
    let number = prop::sample::select(vec![
        "0",
        "-0",
        "1",
        "-1",
        "42",
        "1.5",
        "1.50",
        "0.1",
        "1e3",
        "1E+3",
        "1e-7",
        "2.5e-3",
        "123456789012345",
        "1234567890123456",
        "12345678901234567890",
        "9007199254740993",
        "1e400",
        "-1e400",
        "1e21",
        "0.000001",
        "01",
        "1.",
        "-",
        "5e",
    ])
    .prop_map(str::to_string);
    let key = prop::sample::select(vec![
        "\"a\"",
        "\"b\"",
        "\"\\u0061\"",
        "\"0\"",
        "\"1\"",
        "\"01\"",
        "\"__proto__\"",
        "\"k k\"",
    ])
    .prop_map(str::to_string);
    let leaf = prop_oneof![
        string.clone(),
        number,
        prop::sample::select(vec!["true", "false", "null", "nul"]).prop_map(str::to_string),
    ];
    let value = leaf.prop_recursive(5, 48, 6, move |inner| {
        let ws = ws.clone();
        prop_oneof![
            (prop::collection::vec((inner.clone(), ws.clone()), 0..5)).prop_map(|items| {
                let parts: Vec<String> = items
                    .into_iter()
                    .map(|(v, w)| format!("{w}{v}{w}"))
                    .collect();
                format!("[{}]", parts.join(","))
            }),
            (prop::collection::vec((key.clone(), inner, ws), 0..5)).prop_map(|members| {
                let parts: Vec<String> = members
                    .into_iter()
                    .map(|(k, v, w)| format!("{w}{k}{w}:{w}{v}"))
                    .collect();
                format!("{{{}}}", parts.join(","))
            }),
        ]
    });
    (value, prop::sample::select(vec!["", " ", "\n", "x", ","]))
        .prop_map(|(v, tail)| format!(" {v}{tail}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn agrees_with_parse_and_stringify(t in text()) {
        agrees(&t)?;
    }

    #[test]
    fn never_panics_on_any_text(t in "\\PC{0,60}") {
        agrees(&t)?;
    }
}
