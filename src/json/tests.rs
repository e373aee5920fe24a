use super::*;

fn rt(text: &str) -> String {
    match parse(text) {
        Ok(v) => stringify(&v),
        Err(e) => format!("ERR {}", e.code().as_str()),
    }
}

#[test]
fn numbers_print_like_js() {
    assert_eq!(
        rt("[1.0,1e2,-0,1E400,-1e400,1e21,0.0000001,1e-400]"),
        "[1,100,0,null,null,1e+21,1e-7,0]"
    );
    assert_eq!(rt("12345678901234567890"), "12345678901234567000");
    assert_eq!(
        rt("123456789012345678901234567890"),
        "1.2345678901234568e+29"
    );
    assert_eq!(rt("1e99999999999999999999999"), "null");
    assert_eq!(rt("0.1e-99999999999999999999999"), "0");
    for bad in [
        "01", "-", "1.", ".5", "+1", "1e", "1e+", "0x10", "Infinity", "NaN", "-01",
    ] {
        assert_eq!(rt(bad), "ERR JSON_SYNTAX", "{bad}");
    }
}

#[test]
fn strings_and_escapes() {
    assert_eq!(rt(r#""\u00e9\/\ud83d\ude00\u2028""#), "\"é/😀\u{2028}\"");
    assert_eq!(rt(r#""\ud800x""#), "\"\u{FFFD}x\"");
    assert_eq!(rt(r#""\udc00\ud800\u0041""#), "\"\u{FFFD}\u{FFFD}A\"");
    assert_eq!(rt("\"\u{7f}\""), "\"\u{7f}\"");
    assert_eq!(
        rt(r#""\u0001\b\f\n\r\t\u001f""#),
        r#""\u0001\b\f\n\r\t\u001f""#
    );
    assert_eq!(rt("\"a\nb\""), "ERR JSON_SYNTAX");
    assert_eq!(rt(r#""\x""#), "ERR JSON_SYNTAX");
    assert_eq!(rt(r#""\u12""#), "ERR JSON_SYNTAX");
    assert_eq!(rt("\"abc"), "ERR JSON_SYNTAX");
}

#[test]
fn whitespace_and_trailing() {
    assert_eq!(rt(" \t\r\n[ 1 , 2 ]\n"), "[1,2]");
    assert_eq!(rt("\u{feff}1"), "ERR JSON_SYNTAX");
    assert_eq!(rt("1\u{a0}"), "ERR JSON_SYNTAX");
    assert_eq!(rt("[1,]"), "ERR JSON_SYNTAX");
    assert_eq!(rt("{\"a\":1,}"), "ERR JSON_SYNTAX");
    assert_eq!(rt(""), "ERR JSON_SYNTAX");
    assert_eq!(rt("1 2"), "ERR JSON_SYNTAX");
    assert_eq!(rt("tru"), "ERR JSON_SYNTAX");
    assert_eq!(rt("nul"), "ERR JSON_SYNTAX");
}

#[test]
fn key_order_and_duplicates() {
    assert_eq!(
        rt(
            r#"{"b":1,"10":2,"a":3,"2":4,"b":5,"__proto__":6,"01":7,"4294967295":8,"4294967294":9}"#
        ),
        r#"{"2":4,"10":2,"4294967294":9,"b":5,"a":3,"__proto__":6,"01":7,"4294967295":8}"#
    );
    let opts = ParseOptions {
        report_duplicates: true,
        ..ParseOptions::default()
    };
    let p = parse_with("{\"a\":[{\"x\":1,\n\"x\":2}],\"a/~\":0,\"a/~\":1}", &opts).unwrap();
    let dups: Vec<_> = p
        .duplicates
        .iter()
        .map(|d| (d.pointer.as_str(), d.line, d.column))
        .collect();
    assert_eq!(dups, vec![("/a/0/x", 2, 1), ("/a~1~0", 2, 17)]);
}

/// `Object` against a plain oracle (a vector in insertion order, JS order computed when
/// compared): random inserts, replacements, lookups and removals on objects from a few keys
/// to a few hundred, so the linear search, the key index built past 16 keys, its upkeep on
/// insert and remove, and index keys beside named ones all meet the same expectations.
#[test]
fn object_matches_a_js_property_oracle() {
    let mut next = xorshift(0xD1B5_4A32_D192_ED03);
    for round in 0..200u64 {
        let (mut object, mut oracle) = (Object::new(), Vec::<(String, f64)>::new());
        let range = 1 + next() % [8, 40, 400][(round % 3) as usize];
        for step in 0..(next() % 600) {
            let n = next() % range;
            let key = match n % 4 {
                0 => n.to_string(),
                1 => format!("0{n}"),
                _ => format!("key-{}-{n}", n % 7),
            };
            let at = oracle.iter().position(|(k, _)| *k == key);
            match next() % 6 {
                0 => {
                    let removed = object.remove(&key).and_then(|v| v.as_f64());
                    assert_eq!(removed, at.map(|i| oracle.remove(i).1), "{key}");
                }
                1 => {
                    let got = object.get(&key).and_then(Value::as_f64);
                    assert_eq!(got, at.and_then(|i| oracle.get(i)).map(|e| e.1), "{key}");
                    assert_eq!(object.contains_key(&key), at.is_some());
                }
                _ => {
                    object.insert(key.as_str(), Value::Number(step as f64));
                    match at.and_then(|i| oracle.get_mut(i)) {
                        Some(e) => e.1 = step as f64,
                        None => oracle.push((key, step as f64)),
                    }
                }
            }
            assert_eq!(object.len(), oracle.len());
        }
        // JS order: canonical array indices ascending, then the rest in insertion order.
        let mut want: Vec<(String, f64)> = oracle.clone();
        want.sort_by_key(|(k, _)| match k.parse::<u32>() {
            Ok(i) if i.to_string() == *k => (0, i),
            _ => (1, 0),
        });
        let got: Vec<(String, f64)> = object
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_f64().unwrap_or(f64::NAN)))
            .collect();
        assert_eq!(got, want, "round {round}");
    }
}

#[test]
fn errors_have_positions() {
    let e = parse("{\"a\": 1\n  \"b\": 2}").unwrap_err();
    assert_eq!(
        (e.code, e.offset, e.line, e.column),
        (JsonErrorCode::Syntax, 10, 2, 3)
    );
    assert!(e.message.contains("expected ',' or '}'"), "{}", e.message);
    let e = parse_bytes(b"[\"\xff\"]").unwrap_err();
    assert_eq!((e.code().as_str(), e.offset), ("JSON_UTF8", 2));
    let e = parse_with(
        "[1]",
        &ParseOptions {
            max_bytes: 2,
            ..ParseOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code().as_str(), "JSON_SIZE");
}

#[test]
fn depth_is_bounded_not_a_stack_overflow() {
    let deep = "[".repeat(100_000);
    assert_eq!(parse(&deep).unwrap_err().code().as_str(), "JSON_DEPTH");
    let ok = format!("{}{}", "[".repeat(512), "]".repeat(512));
    assert!(parse(&ok).is_ok());
    let bad = format!("{}{}", "[".repeat(513), "]".repeat(513));
    assert_eq!(parse(&bad).unwrap_err().code().as_str(), "JSON_DEPTH");
    let opts = ParseOptions {
        max_depth: 2,
        ..ParseOptions::default()
    };
    assert!(parse_with("[{}]", &opts).is_ok());
    assert_eq!(
        parse_with("[{\"a\":[]}]", &opts)
            .unwrap_err()
            .code()
            .as_str(),
        "JSON_DEPTH"
    );
}

#[test]
fn pretty() {
    let v = parse(r#"{"a":[1,{"b":[]},{}],"c":"x"}"#).unwrap();
    assert_eq!(
        stringify_pretty(&v, "  "),
        "{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n    },\n    {}\n  ],\n  \"c\": \"x\"\n}"
    );
    assert_eq!(stringify_pretty(&v, ""), stringify(&v));
    assert_eq!(
        stringify_pretty(&parse("[1]").unwrap(), "abcdefghijklmn"),
        "[\nabcdefghij1\n]"
    );
}

mod properties {
    use super::super::*;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<f64>().prop_map(Value::Number),
            "\\PC{0,8}".prop_map(Value::string),
            "[\\x00-\\x1f\"\\\\\u{2028}😀]{0,4}".prop_map(Value::string),
        ];
        leaf.prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::array),
                prop::collection::vec(("(0|[1-9][0-9]{0,3}|[a-z_]{1,3})", inner), 0..6)
                    .prop_map(|pairs| Value::object(pairs.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The incremental line/column of duplicate keys is the from-the-start count, for
        /// offsets in increasing order (and for one out of order), inside multi-byte chars too.
        #[test]
        fn line_cursor_is_line_column(
            text in "[a\n\r é😀]{0,40}",
            mut offsets in prop::collection::vec(0usize..48, 0..8),
            back in 0usize..48,
        ) {
            offsets.sort_unstable();
            offsets.push(back);
            let mut cursor = crate::json::error::LineCursor::new();
            for offset in offsets {
                prop_assert_eq!(
                    cursor.advance(&text, offset),
                    crate::json::error::line_column(&text, offset)
                );
            }
        }

        #[test]
        fn parse_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let _ = parse_bytes(&bytes);
        }

        #[test]
        fn parse_never_panics_on_jsonish_text(text in "[\\[\\]{}\",:0-9eE.+\\-tfrunl \\\\u]{0,40}") {
            let _ = parse(&text);
        }

        #[test]
        fn integer_fast_path_matches_ryu(n in any::<i64>(), f in any::<f64>()) {
            for x in [n as f64, f, f.trunc()] {
                let mut fast = String::new();
                crate::json::write_number(&mut fast, x);
                let expected = if x == 0.0 {
                    "0".to_string()
                } else {
                    ryu_js::Buffer::new().format(x).to_string()
                };
                prop_assert_eq!(fast, expected);
            }
        }

        #[test]
        fn stringify_then_parse_is_a_fixed_point(v in value()) {
            let compact = stringify(&v);
            let reparsed = parse(&compact).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(stringify(&reparsed), compact.clone());
            let pretty = stringify_pretty(&v, "  ");
            let reparsed = parse(&pretty).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(stringify(&reparsed), compact);
        }
    }
}

fn val(text: &str) -> Value {
    parse(text).expect("test JSON")
}

/// `String(v)` for each value, expected texts printed by Node (`JSON.stringify(String(v))`).
#[test]
fn js_string_matches_javascript() {
    let cases: &[(Value, &str)] = &[
        (Value::Number(1e21), "1e+21"),
        (Value::Number(-0.0), "0"),
        (Value::Number(0.1 + 0.2), "0.30000000000000004"),
        (Value::Number(f64::NAN), "NaN"),
        (Value::Number(f64::INFINITY), "Infinity"),
        (Value::Number(f64::NEG_INFINITY), "-Infinity"),
        (Value::Number(1e-7), "1e-7"),
        (
            Value::Number(123456789012345680000.0),
            "123456789012345680000",
        ),
        (Value::Number(5e-324), "5e-324"),
        (
            val(r#"[1,[2,[null,3]],null,"a",{}]"#),
            "1,2,,3,,a,[object Object]",
        ),
        (val("{}"), "[object Object]"),
        (Value::Null, "null"),
        (Value::Bool(true), "true"),
        (val("[]"), ""),
        (val("[null]"), ""),
        (val("[[]]"), ""),
        (val("[1.5,-0]"), "1.5,0"),
    ];
    for (value, expected) in cases {
        assert_eq!(value.to_js_string(), *expected, "String({value:?})");
    }
}

/// The bounds of `write_js_string` stop the text with the reason, keeping what was written.
#[test]
fn js_string_bounds_stop_with_a_reason() {
    let limits = |max_depth, max_len| JsStringLimits { max_depth, max_len };
    let nested = val("[1,[2,[3]]]");
    let mut out = String::new();
    assert_eq!(nested.write_js_string(&mut out, limits(3, 100)), Ok(()));
    assert_eq!(out, "1,2,3");
    out.clear();
    assert_eq!(
        nested.write_js_string(&mut out, limits(2, 100)),
        Err(JsStringStop::Depth)
    );
    assert_eq!(out, "1,2,");
    out.clear();
    assert_eq!(
        val(r#"["abc","def"]"#).write_js_string(&mut out, limits(8, 4)),
        Err(JsStringStop::Length)
    );
    // A string alone is not bounded by length: only array joins are.
    out.clear();
    assert_eq!(
        Value::string("abcdef").write_js_string(&mut out, limits(0, 1)),
        Ok(())
    );
}

/// `a == b` for each pair, expected results printed by Node (`x == y`).
#[test]
fn loose_eq_matches_javascript() {
    let shared = val("[]");
    let same_object = val("{}");
    let s = |t: &str| Some(Value::string(t));
    let n = |x: f64| Some(Value::Number(x));
    let b = |x: bool| Some(Value::Bool(x));
    let j = |t: &str| Some(val(t));
    let cases: Vec<(Option<Value>, Option<Value>, bool)> = vec![
        (j("[]"), b(false), true),
        (j("[]"), s(""), true),
        (j("[0]"), b(false), true),
        (j("[1,2]"), s("1,2"), true),
        (j("[[1]]"), n(1.0), true),
        (j("{}"), s("[object Object]"), true),
        (Some(Value::Null), n(0.0), false),
        (None, Some(Value::Null), true),
        (None, n(0.0), false),
        (s("1e3"), n(1000.0), true),
        (s(" 0x10 "), n(16.0), true),
        (n(f64::NAN), n(f64::NAN), false),
        (s(""), n(0.0), true),
        (b(true), s("1"), true),
        (j("[]"), j("[]"), false),
        (Some(shared.clone()), Some(shared), true),
        (j("{}"), j("{}"), false),
        (Some(same_object.clone()), Some(same_object), true),
        (j("[null]"), s(""), true),
        (j("[1,2]"), s("1,3"), false),
        (j("{}"), b(true), false),
        (s("\u{a0}1\n"), n(1.0), true),
        (s("-0x10"), n(-16.0), false),
        (s("1_0"), n(10.0), false),
        (b(false), s("0"), true),
        (Some(Value::Null), b(false), false),
        (j("[true]"), s("true"), true),
        (j("[true]"), n(1.0), false),
        (None, None, true),
    ];
    for (x, y, expected) in cases {
        assert_eq!(loose_eq(x.as_ref(), y.as_ref()), expected, "{x:?} == {y:?}");
        assert_eq!(loose_eq(y.as_ref(), x.as_ref()), expected, "{y:?} == {x:?}");
    }
}
