//! The fast path of `parseEvent` (`calhook::event::fast_meta`, used by the wasm binding) must
//! agree with the full `parse_event`: whenever it answers, `parse_event` accepts the body with
//! the same `known` and `shape`, no warnings, an envelope shape, and JS-exact values.

use calhook::event::sample::sample_data_full;
use calhook::event::{
    fast_meta, fast_meta_utf8, parse_event, EnvelopeShape, ParseEventOptions, TRIGGERS,
};
use calhook::json::{self, Object, Value};
mod common;

/// Checks agreement for every option set; returns how many times the fast path answered.
fn agrees(body: &[u8], what: &str) -> usize {
    let mut answered = 0;
    for options in common::parse_option_sets() {
        let fast = fast_meta(body, &options);
        let Some((known, shape)) = fast else { continue };
        answered += 1;
        let event = parse_event(body, &options).unwrap_or_else(|e| {
            panic!(
                "{what}: fast path accepted, parse_event failed: {e} {:?}",
                e.issues
            )
        });
        assert_eq!(event.known, known, "{what}");
        assert_eq!(event.shape, shape, "{what}");
        assert_ne!(shape, EnvelopeShape::LegacyFlat, "{what}");
        assert!(event.warnings.is_empty(), "{what}: {:?}", event.warnings);
        let parsed = json::parse_bytes_with(body, &json::ParseOptions::default()).expect("JSON");
        assert!(parsed.round_trips, "{what}: values would not round-trip");
    }
    answered
}

#[test]
fn fixtures_agree_and_take_the_fast_path() {
    for (name, bytes) in common::event_fixtures() {
        let answered = agrees(&bytes, &name);
        let event = parse_event(&bytes, &ParseEventOptions::default()).expect("fixture parses");
        if event.shape != EnvelopeShape::LegacyFlat && event.warnings.is_empty() {
            assert!(answered > 0, "{name}: the fast path never answered");
        }
    }
}

/// Every node of a value, as (pointer) paths, with replacement candidates applied.
fn variants(v: &Value, out: &mut Vec<Value>, rebuild: &dyn Fn(Option<Value>) -> Value) {
    let replacements = [
        None,
        Some(Value::Null),
        Some(Value::Number(42.0)),
        Some(Value::Number(1.5)),
        Some(Value::string("42")),
        Some(Value::string("not an email")),
        Some(Value::string("15/01/2024 10:00")),
        Some(Value::string("/relative/path")),
        Some(Value::string("NOT_A_STATUS")),
        Some(Value::Bool(true)),
        Some(Value::array(vec![])),
        Some(Value::array(vec![Value::Null])),
        Some(Value::object(Object::new())),
    ];
    for r in replacements {
        out.push(rebuild(r));
    }
    match v {
        Value::Object(o) => {
            for (k, child) in o.iter() {
                let k = k.to_string();
                let o = o.clone();
                let sub = move |new: Option<Value>| -> Value {
                    let mut o2: Object = (*o).clone();
                    match new {
                        Some(n) => o2.insert(k.as_str(), n),
                        None => {
                            o2.remove(&k);
                        }
                    }
                    Value::object(o2)
                };
                variants(child, out, &|new| rebuild(Some(sub(new))));
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                let a = a.clone();
                let sub = move |new: Option<Value>| -> Value {
                    let mut a2: Vec<Value> = (*a).clone();
                    match new {
                        Some(n) => {
                            if let Some(slot) = a2.get_mut(i) {
                                *slot = n;
                            }
                        }
                        None => {
                            a2.remove(i);
                        }
                    }
                    Value::array(a2)
                };
                variants(child, out, &|new| rebuild(Some(sub(new))));
            }
        }
        _ => {}
    }
}

#[test]
fn mutated_samples_agree() {
    let mut checked = 0;
    let mut answered = 0;
    for info in TRIGGERS {
        let mut body = Object::new();
        body.insert("triggerEvent", Value::string(info.name));
        body.insert("createdAt", Value::string("2024-01-15T09:00:00.000Z"));
        body.insert("payload", sample_data_full(info));
        let body = Value::object(body);
        let mut out = Vec::new();
        variants(&body, &mut out, &|new| new.unwrap_or(Value::Null));
        for v in out {
            let text = json::stringify(&v);
            answered += agrees(text.as_bytes(), &format!("{}: {text}", info.name));
            checked += 1;
        }
    }
    eprintln!("{checked} mutated bodies, fast path answered {answered} times");
    assert!(checked > 2000 && answered > 1000, "{checked} / {answered}");
}

#[test]
fn textual_edge_cases_agree() {
    let base =
        r#"{"triggerEvent":"PING","createdAt":"2024-01-15T09:00:00.000Z","payload":{"x":VALUE}}"#;
    let values = [
        "1", "-0", "-0.0", "0e5", "-0e-1", "1e400", "-1e400", "1e-400", "123456789012345678",
        "0.1", "1E2", "01", "1.", ".5", "-", "+1", "\"\\ud800\"", "\"\\udc00\"",
        "\"\\ud83d\\ude00\"", "\"\\ud83d\\u0041\"", "\"\\u00e9\\n\\t\\\"\\\\\\/\"", "\"\\x\"",
        "\"\\u12\"", "\"a\u{1}b\"", "\"é😀\"", "[1,]", "[1 2]", "{\"a\":1,\"a\":2}",
        "{\"a\":1,\"\\u0061\":2}", "{\"a\":1,\"b\":{\"a\":2}}", "true", "tru", "nul", "null",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        " { } ", "{\"__proto__\":1}",
    ];
    for value in values {
        let text = base.replace("VALUE", value);
        agrees(text.as_bytes(), &text);
    }
    let whole = [
        "",
        " ",
        "\u{feff}{}",
        "{}",
        "[]",
        "false",
        r#"{"triggerEvent":"PING","createdAt":"2024-01-15T09:00:00.000Z","payload":{}} x"#,
        r#"{"triggerEvent":"PING","createdAt":"2024-01-15T09:00:00.000Z","payload":{}}"#,
        r#" {"triggerEvent" : "PING" ,"createdAt":"2024-01-15T09:00:00.000Z","payload":{}} "#,
        r#"{"\u0074riggerEvent":"PING","createdAt":"2024-01-15T09:00:00.000Z","payload":{}}"#,
        r#"{"triggerEvent":"PING","triggerEvent":"PING","createdAt":"2024-01-15T09:00:00.000Z","payload":{}}"#,
        r#"{"triggerEvent":"MEETING_ENDED","createdAt":"2024-01-15T09:00:00.000Z"}"#,
        r#"{"triggerEvent":"FUTURE_THING","createdAt":"2024-01-15T09:00:00.000Z","payload":{}}"#,
        r#"{"triggerEvent":"FUTURE_THING","createdAt":"2024-01-15T09:00:00.000Z","payload":[]}"#,
        r#"{"triggerEvent":"FORM_SUBMITTED","createdAt":"2024-01-15T09:00:00.000Z","payload":{"formId":"f","formName":"F","responses":{}},"q":1}"#,
        r#"{"triggerEvent":"PING","createdAt":"2024-01-15T09:00:00.000Z","payload":null}"#,
        r#"{"triggerEvent":null,"createdAt":"2024-01-15T09:00:00.000Z","payload":{}}"#,
    ];
    for text in whole {
        agrees(text.as_bytes(), text);
    }
    // Invalid UTF-8, and every truncation and single-byte deletion of a small valid body.
    agrees(b"{\"triggerEvent\":\"PING\xff\"}", "invalid UTF-8");
    let (_, bytes) = common::event_fixtures()
        .into_iter()
        .find(|(n, _)| n == "ping")
        .expect("ping fixture");
    for i in 0..bytes.len() {
        agrees(bytes.get(..i).unwrap_or_default(), "truncated");
        let mut cut = bytes.clone();
        cut.remove(i);
        agrees(&cut, &format!("byte {i} removed"));
    }
}

/// What the fast path must answer, from the full parser: `Some((known, shape))` exactly when
/// `parse_event` accepts the body as an envelope with no warnings and values that JS
/// `JSON.parse` reproduces.
fn full_verdict(body: &[u8], options: &ParseEventOptions) -> Option<(bool, EnvelopeShape)> {
    let event = parse_event(body, options).ok()?;
    if event.shape == EnvelopeShape::LegacyFlat || !event.warnings.is_empty() {
        return None;
    }
    let parsed = json::parse_bytes_with(body, &json::ParseOptions::default()).ok()?;
    parsed.round_trips.then_some((event.known, event.shape))
}

/// Both directions: a fast answer is the full parser's; and on bodies without escapes (the fast
/// path leaves escaped keys to the full parser) it answers whenever the full parser would.
fn same_verdict(body: &[u8]) {
    for options in common::parse_option_sets() {
        let fast = fast_meta(body, &options);
        if std::str::from_utf8(body).is_ok() {
            assert_eq!(fast_meta_utf8(body, &options), fast, "UTF-8 known");
        }
        let full = full_verdict(body, &options);
        let text = String::from_utf8_lossy(body);
        if fast.is_some() || !body.contains(&b'\\') {
            assert_eq!(fast, full, "{options:?}: {text}");
        }
    }
}

mod random_edits {
    use super::*;
    use proptest::prelude::*;

    /// BOOKING_* bodies: every booking trigger's full sample and the realistic fixture.
    fn bookings() -> Vec<Value> {
        let mut out: Vec<Value> = TRIGGERS
            .iter()
            .filter(|t| t.name.starts_with("BOOKING_"))
            .map(|info| {
                let mut body = Object::new();
                body.insert("triggerEvent", Value::string(info.name));
                body.insert("createdAt", Value::string("2024-01-15T09:00:00.000Z"));
                body.insert("payload", sample_data_full(info));
                Value::object(body)
            })
            .collect();
        for (name, bytes) in common::event_fixtures() {
            if name.starts_with("booking") {
                out.push(json::parse_bytes(&bytes).expect("fixture JSON"));
            }
        }
        out
    }

    /// Paths (keys and indices) of every node of `v`.
    fn paths(v: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        out.push(at.clone());
        match v {
            Value::Object(o) => {
                for (k, child) in o.iter() {
                    at.push(Step::Key(k.to_string()));
                    paths(child, at, out);
                    at.pop();
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    at.push(Step::Index(i));
                    paths(child, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    #[derive(Clone, Debug)]
    enum Step {
        Key(String),
        Index(usize),
    }

    /// `v` with the node at `path` replaced by `f` of it (`None` removes it).
    fn edit(v: &Value, path: &[Step], f: &dyn Fn(&Value) -> Option<Value>) -> Option<Value> {
        let Some((step, rest)) = path.split_first() else {
            return f(v);
        };
        match (v, step) {
            (Value::Object(o), Step::Key(k)) => {
                let mut o2: Object = (**o).clone();
                match o.get(k).and_then(|child| edit(child, rest, f)) {
                    Some(n) => o2.insert(k.as_str(), n),
                    None => {
                        o2.remove(k);
                    }
                }
                Some(Value::object(o2))
            }
            (Value::Array(a), Step::Index(i)) => {
                let mut a2: Vec<Value> = (**a).clone();
                match a.get(*i).and_then(|child| edit(child, rest, f)) {
                    Some(n) => {
                        if let Some(slot) = a2.get_mut(*i) {
                            *slot = n;
                        }
                    }
                    None => {
                        a2.remove(*i);
                    }
                }
                Some(Value::array(a2))
            }
            _ => Some(v.clone()),
        }
    }

    fn replacement(choice: u8, old: &Value) -> Option<Value> {
        Some(match choice % 16 {
            0 => return None,
            1 => Value::Null,
            2 => Value::Number(7.0),
            3 => Value::Number(2.5),
            4 => Value::string("7"),
            5 => Value::string("x@y"),
            6 => Value::string("2024-02-30T10:00:00Z"),
            7 => Value::string("https://example.test/a"),
            8 => Value::string("ACCEPTED"),
            9 => Value::Bool(false),
            10 => Value::array(vec![old.clone()]),
            11 => Value::array(vec![]),
            12 => Value::object(Object::new()),
            13 => {
                let mut o = Object::new();
                o.insert("value", old.clone());
                Value::object(o)
            }
            14 => Value::string(""),
            _ => old.clone(),
        })
    }

    const BYTES: &[u8] = b"\"\\{}[],:01-e.ntu \x01\xff\xc3";

    proptest! {
        #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

        /// Random value edits (types, nulls, removals, wrappers) of BOOKING_* bodies.
        #[test]
        fn value_edits_give_the_full_verdict(
            which in any::<prop::sample::Index>(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        ) {
            let all = bookings();
            let mut body = all[which.index(all.len())].clone();
            for (at, choice) in edits {
                let mut list = Vec::new();
                paths(&body, &mut Vec::new(), &mut list);
                let path = &list[at.index(list.len())];
                body = edit(&body, path, &|old| replacement(choice, old)).unwrap_or(Value::Null);
            }
            same_verdict(json::stringify(&body).as_bytes());
        }

        /// Random byte edits of the text (syntax, escapes, duplicates, key order, UTF-8).
        #[test]
        fn byte_edits_give_the_full_verdict(
            which in any::<prop::sample::Index>(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0u8..4), 1..4),
        ) {
            let all = bookings();
            let mut bytes = json::stringify(&all[which.index(all.len())]).into_bytes();
            for (at, byte, op) in edits {
                let i = at.index(bytes.len());
                let b = BYTES[byte.index(BYTES.len())];
                match op {
                    0 => bytes[i] = b,
                    1 => bytes.insert(i, b),
                    2 => { bytes.remove(i); }
                    _ => {
                        // Repeat a stretch (often a whole `"key":value,` entry: a duplicate key).
                        let end = (i + 1 + b as usize % 40).min(bytes.len());
                        let copy = bytes[i..end].to_vec();
                        bytes.splice(i..i, copy);
                    }
                }
            }
            same_verdict(&bytes);
        }
    }

    /// Root keys in every order, and entries reordered inside the payload.
    #[test]
    fn key_orders_give_the_full_verdict() {
        for body in bookings() {
            let root = body.as_object().expect("object");
            let keys: Vec<String> = root.keys().map(str::to_string).collect();
            for rotate in 0..keys.len() {
                let mut o = Object::new();
                for k in keys.iter().cycle().skip(rotate).take(keys.len()) {
                    o.insert(k.as_str(), root.get(k).cloned().unwrap_or_default());
                }
                let text = json::stringify(&Value::object(o));
                same_verdict(text.as_bytes());
                assert!(
                    fast_meta(text.as_bytes(), &ParseEventOptions::default()).is_some(),
                    "{text}"
                );
            }
        }
    }
}
