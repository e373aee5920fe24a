//! The fidelity vectors (`tests/vectors/fidelity.json`, generated from handlebars 4.7.10 and
//! the Cal.com sender oracle by `tests/gen/fidelity-vectors.mjs`) run against the Rust core too:
//! numbers at and beyond the float limits (±Infinity from `1e400`), in every rendering context,
//! and the block-less `{{*inline}}` decorator. The JS runtimes run the same file.

mod common;

use calhook::delivery::{build_delivery, DeliveryInput};
use calhook::json;
use calhook::template::{render, CompileOptions, Dialect};
use serde_json::Value as J;

fn load() -> Vec<J> {
    let path =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/fidelity.json");
    let text = std::fs::read_to_string(path).expect("fidelity vectors");
    let v: J = serde_json::from_str(&text).expect("JSON");
    v["cases"].as_array().expect("cases").clone()
}

fn expected(case: &J) -> Result<String, String> {
    match (&case["expect"]["value"], &case["expect"]["throws"]) {
        (J::String(s), _) => Ok(s.clone()),
        (_, J::String(code)) => Err(code.clone()),
        (other, _) => Ok(other.to_string()),
    }
}

#[test]
fn renders_agree_with_handlebars() {
    let mut checked = 0;
    for case in load() {
        let name = case["name"].as_str().unwrap_or_default();
        let args = case["args"].as_array().expect("args");
        let (source, data) = match case["fn"].as_str() {
            // The data is JSON text: calhook's parser, like JSON.parse, makes 1e400 Infinity.
            Some("renderJson" | "compiledRenderJson") => (
                args[0].as_str().expect("source").to_string(),
                json::parse(args[1].as_str().expect("data text")).expect("data parses"),
            ),
            Some("renderTemplate") => (
                args[0].as_str().expect("source").to_string(),
                common::to_value(&args[1]),
            ),
            _ => continue,
        };
        let got =
            render(&source, &data, &CompileOptions::default()).map_err(|e| match e.code.as_str() {
                "TEMPLATE_SYNTAX" => "TEMPLATE_SYNTAX".to_string(),
                "TEMPLATE_UNSUPPORTED" => "TEMPLATE_UNSUPPORTED".to_string(),
                _ => "TEMPLATE_RENDER".to_string(),
            });
        assert_eq!(got, expected(&case), "{name}");
        checked += 1;
    }
    assert!(checked > 100, "only {checked} render vectors");
}

#[test]
fn deliveries_agree_with_the_sender() {
    let mut checked = 0;
    for case in load() {
        if case["fn"] != "deliveryJson" {
            continue;
        }
        let name = case["name"].as_str().unwrap_or_default();
        let input = &case["args"][0];
        let payload =
            json::parse(case["args"][1].as_str().expect("payload text")).expect("payload");
        let text = |k: &str| input[k].as_str().map(str::to_string);
        let delivery = build_delivery(&DeliveryInput {
            trigger_event: text("triggerEvent").expect("trigger"),
            created_at: text("createdAt").expect("createdAt"),
            payload,
            template: text("template"),
            secret: text("secret"),
            version: None,
            dialect: Dialect::Calcom,
            subscriber_url: None,
        })
        .unwrap_or_else(|e| panic!("{name}: {}", e.message()));
        let want = &case["expect"]["value"];
        assert_eq!(
            delivery.body,
            want["body"].as_str().unwrap_or_default(),
            "{name}"
        );
        assert_eq!(
            delivery.content_type,
            want["contentType"].as_str().unwrap_or_default(),
            "{name}"
        );
        let signature = delivery
            .headers
            .iter()
            .find(|(h, _)| h == "X-Cal-Signature-256")
            .map(|(_, v)| v.clone());
        assert_eq!(signature.as_deref(), want["signature"].as_str(), "{name}");
        checked += 1;
    }
    assert_eq!(checked, 32);
}
