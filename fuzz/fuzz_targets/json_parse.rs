//! JSON parser and serializer (`JSON.parse` / `JSON.stringify` semantics).
//!
//! Invariants:
//! - errors point inside the input (offset ≤ length; line/column ≥ 1);
//! - `parse_bytes` agrees with `parse` on valid UTF-8, and reporting duplicates does not
//!   change the value;
//! - `stringify` output parses back, and `stringify ∘ parse` is a fixed point on it;
//! - `stringify_pretty` parses back to the same value;
//! - anything serde_json accepts (shallow enough for its recursion limit), we accept.
#![no_main]

use calhook::json::{self, ParseOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = json::parse_bytes(data);
    match &parsed {
        Ok(_) => {}
        Err(e) => {
            assert!(
                e.offset <= data.len(),
                "error offset {} past the input",
                e.offset
            );
            assert!(e.line >= 1 && e.column >= 1, "zero line/column in {e:?}");
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let p2 = json::parse(text);
        assert_eq!(
            parsed.as_ref().map(json::stringify).map_err(|e| e.clone()),
            p2.as_ref().map(json::stringify).map_err(|e| e.clone()),
            "parse_bytes and parse disagree"
        );
        let with_dups = json::parse_with(
            text,
            &ParseOptions {
                report_duplicates: true,
                ..ParseOptions::default()
            },
        );
        assert_eq!(
            parsed.as_ref().map(json::stringify).ok(),
            with_dups.as_ref().map(|p| json::stringify(&p.value)).ok(),
            "reporting duplicates changes the result"
        );
        if let Ok(p) = &with_dups {
            for d in &p.duplicates {
                assert!(
                    d.offset < text.len() && text.is_char_boundary(d.offset),
                    "{d:?}"
                );
                assert!(d.line >= 1 && d.column >= 1, "{d:?}");
            }
        }
        // serde_json (recursion limit 128) accepting means JSON.parse accepts.
        if serde_json::from_str::<serde_json::Value>(text).is_ok() {
            assert!(parsed.is_ok(), "serde_json accepts, we reject: {parsed:?}");
        }
    }
    let Ok(value) = parsed else {
        return;
    };
    let s = json::stringify(&value);
    let again =
        json::parse(&s).unwrap_or_else(|e| panic!("stringify output does not parse: {e}\n{s}"));
    let s2 = json::stringify(&again);
    assert_eq!(s, s2, "stringify(parse(stringify(v))) != stringify(v)");
    let pretty = json::stringify_pretty(&value, "  ");
    let from_pretty = json::parse(&pretty)
        .unwrap_or_else(|e| panic!("pretty output does not parse: {e}\n{pretty}"));
    assert_eq!(
        s,
        json::stringify(&from_pretty),
        "pretty output parses to another value"
    );
});
