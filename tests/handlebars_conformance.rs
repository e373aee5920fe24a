//! Runs every case of the handlebars conformance corpus
//! (`tests/conformance/handlebars-spec-cases.json`, outputs recorded from handlebars 4.7.10;
//! tests/js/template-conformance.test.mjs re-checks them against the npm package) through the
//! engine.

mod common;

use calhook::template::{render, CompileOptions};

/// Cases that deliberately differ from handlebars (see COMPATIBILITY.md). Empty: any failure
/// is a regression.
const EXCEPTIONS: &[&str] = &[];

#[test]
fn handlebars_spec_cases() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/conformance/handlebars-spec-cases.json"
    );
    let text = std::fs::read_to_string(path).expect("tests/conformance/handlebars-spec-cases.json");
    let corpus: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = corpus["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 315);
    let mut failures = Vec::new();
    let mut passed = 0;
    for (i, case) in cases.iter().enumerate() {
        let name = format!(
            "#{i} {}: {}",
            case["suite"].as_str().unwrap(),
            case["name"].as_str().unwrap()
        );
        let template = case["template"].as_str().unwrap();
        let data = common::to_value(&case["data"]);
        let result = render(template, &data, &CompileOptions::default());
        let ok = if case["error"].as_bool().unwrap() {
            result.is_err()
        } else {
            result.as_deref() == Ok(case["out"].as_str().unwrap())
        };
        let excepted = EXCEPTIONS.iter().any(|e| name.contains(e));
        if ok {
            passed += 1;
            assert!(!excepted, "{name} passes now: remove it from EXCEPTIONS");
        } else if !excepted {
            failures.push(format!(
                "{name}\n  template: {template:?}\n  expected: {}\n  got: {result:?}",
                if case["error"].as_bool().unwrap() {
                    format!("error {:?}", case["error_message"].as_str().unwrap_or(""))
                } else {
                    format!("{:?}", case["out"].as_str().unwrap())
                }
            ));
        }
    }
    eprintln!("conformance: {passed}/{} passed", cases.len());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
