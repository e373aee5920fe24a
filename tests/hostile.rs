//! The hostile-input suite: every public parser and entry point fed what an attacker would
//! send (depth, size, key shapes, wrong types, random bytes). Each must return a result or a
//! typed error: never a panic, a stack overflow, or a value that validates differently twice.
//!
//! Stack-sensitive cases run on a 1 MiB thread in optimized builds, the stack a Rust wasm32
//! instance has. Unoptimized (debug) builds use 20-40 times more stack per template nesting
//! level, so there they get 64 MiB: the cases still run, and `tests/js/hostile-depth.test.mjs`
//! checks the shipped wasm at the clamp itself.

mod common;

use calhook::delivery::{build_delivery, DeliveryInput};
use calhook::event::{self, ParseOptions as EventOptions};
use calhook::json::{self, Object, ParseOptions, Value};
use calhook::lint::{lint_template, LintOptions};
use calhook::signature::{self, parse_header};
use calhook::template::{self, CompileOptions, Dialect, TemplateErrorCode, MAX_NESTING};
use calhook::webhook::{
    check_payload_template, parse_webhook_response, try_next_retry_at, validate_webhook_create,
    validate_webhook_update, webhook_request, WebhookOp, WebhookScope,
};
use proptest::prelude::*;

const SECRET: &str = "whsec_super-secret-value-4242";
const API_KEY: &str = "cal_live_0123456789abcdef0123456789abcdef";

/// With `HOSTILE_TRACE` set, say where a case is (a stack overflow aborts without a message).
fn trace(what: &str) {
    if std::env::var_os("HOSTILE_TRACE").is_some() {
        eprintln!("{what}");
    }
}

const STACK: usize = if cfg!(debug_assertions) {
    64 << 20
} else {
    1 << 20
};

fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic and no stack overflow")
}

/// `depth` nested arrays around `inner`, built natively (no parser bounds it).
fn deep_array(depth: usize, inner: Value) -> Value {
    let mut v = inner;
    for _ in 0..depth {
        v = Value::array(vec![v]);
    }
    v
}

/// `depth` nested objects `{"a": …}`.
fn deep_object(depth: usize, inner: Value) -> Value {
    let mut v = inner;
    for _ in 0..depth {
        let mut o = Object::new();
        o.insert("a", v);
        v = Value::object(o);
    }
    v
}

// ---------------------------------------------------------------------------------------------
// Corpus: nasty texts, fed to every text entry point.
// ---------------------------------------------------------------------------------------------

fn corpus() -> Vec<String> {
    let n = 20_000;
    let mut c = vec![
        String::new(),
        " ".into(),
        "\u{0}".into(),
        "\u{feff}{}".into(),
        "null".into(),
        "[]".into(),
        "{}".into(),
        "\"\\ud800\"".into(),
        "{\"__proto__\":{\"a\":1},\"constructor\":{\"prototype\":1}}".into(),
        "{\"4294967295\":1,\"4294967294\":2,\"01\":3,\"-0\":4,\"0\":5,\"\":6}".into(),
        "1e400".into(),
        "-0".into(),
        "[1,]".into(),
        "{\"a\":1,\"a\":2}".into(),
        "{{".into(),
        "}}".into(),
        "{{#if}}".into(),
        "{{/if}}".into(),
        "{{> }}".into(),
        "{{#*inline \"p\"}}{{> p}}{{/inline}}{{> p}}".into(),
        "{{#> p}}{{> @partial-block}}{{/p}}".into(),
        "{{{{raw}}}}{{{{/raw}}}}".into(),
        "{{!--".into(),
        "{{lookup . 'constructor'}}{{__proto__}}{{constructor.name}}".into(),
        "\\{{x}}\\\\{{y}}".into(),
        "t=1,v1=abc".into(),
        "v1,abc=".into(),
        "sha1=0000000000000000000000000000000000000000".into(),
        format!("sha256={}", "a".repeat(64)),
        "A".repeat(64),
    ];
    c.push("[".repeat(n));
    c.push("{\"a\":".repeat(n));
    c.push(format!("{}{}", "[".repeat(n), "]".repeat(n)));
    c.push("{{#if a}}".repeat(n / 10));
    c.push(format!(
        "{}x{}",
        "{{#each a}}".repeat(n / 10),
        "{{/each}}".repeat(n / 10)
    ));
    c.push(format!(
        "{{{{x {}a{}}}}}",
        "(lookup ".repeat(n / 10),
        " 'b')".repeat(n / 10)
    ));
    c.push(format!("{{{{{}}}}}", vec!["a"; n].join(".")));
    c.push(format!("{{{{{}a}}}}", "../".repeat(n)));
    c.push("{{a}}".repeat(n));
    c.push("\"".repeat(n));
    c.push("\\".repeat(n));
    c.push(format!("\"{}\"", "\\u0000".repeat(n / 6)));
    c.push(format!(
        "{{{}}}",
        (0..n / 10)
            .rev()
            .map(|i| format!("\"{i}\":1"))
            .collect::<Vec<_>>()
            .join(",")
    ));
    c
}

/// An event body whose payload holds `inner` (JSON text) at `payload.metadata`.
fn event_with(inner: &str) -> String {
    format!(
        "{{\"triggerEvent\":\"BOOKING_CREATED\",\"createdAt\":\"2024-01-01T00:00:00.000Z\",\"payload\":{{\"metadata\":{inner}}}}}"
    )
}

#[test]
fn every_text_entry_point_survives_the_corpus() {
    on_small_stack(|| {
        let lax = EventOptions {
            max_age_ms: None,
            max_future_ms: None,
            ..EventOptions::default()
        };
        let mut huge = CompileOptions::default();
        huge.limits.max_nesting = usize::MAX;
        huge.limits.max_template_bytes = usize::MAX;
        for (i, text) in corpus().into_iter().enumerate() {
            trace(&format!("corpus {i}"));
            let _ = json::parse(&text);
            let _ = json::parse_with(
                &text,
                &ParseOptions {
                    max_depth: usize::MAX,
                    max_bytes: usize::MAX,
                    report_duplicates: true,
                },
            );
            trace("event");
            let _ = event::parse_event(text.as_bytes(), &lax);
            let _ = event::parse_event(event_with(&text).as_bytes(), &lax);
            trace("header");
            let _ = parse_header(Some(&text));
            let _ = signature::diagnose(text.as_bytes(), Some(&text), SECRET.as_bytes());
            let _ = signature::check(text.as_bytes(), Some(&text), &[SECRET]);
            let _ = parse_webhook_response(&text);
            trace("check_payload_template");
            let _ = check_payload_template(&text, &["BOOKING_CREATED".into()]);
            for dialect in [Dialect::Calcom, Dialect::Reference] {
                let options = LintOptions {
                    dialect,
                    trigger: Some("MEETING_ENDED".into()),
                };
                trace("lint");
                let _ = lint_template(&text, &options);
                trace("compile");
                let opts = CompileOptions { dialect, ..huge };
                if let Ok(t) = template::compile(&text, &opts) {
                    let _ = t.render(&Value::Null);
                    let _ = t.render(&json::parse(r#"{"a":[[1,[2]],{"b":true}]}"#).unwrap());
                    let _ = t.variables();
                    let _ = t.data_projection().to_value();
                }
            }
            let input = DeliveryInput {
                trigger_event: text.clone(),
                created_at: text.clone(),
                payload: json::parse(&text).unwrap_or(Value::Null),
                template: Some(text.clone()),
                secret: Some(text.clone()),
                version: Some(text.clone()),
                dialect: Dialect::Calcom,
                subscriber_url: Some(text.clone()),
            };
            trace("delivery");
            let _ = build_delivery(&input);
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Depth: native values of any depth, and template nesting at and past the clamp.
// ---------------------------------------------------------------------------------------------

#[test]
fn values_of_any_depth_drop_and_serialize_without_recursion() {
    on_small_stack(|| {
        let depth = 100_000;
        let arrays = deep_array(depth, Value::Null);
        let text = json::stringify(&arrays);
        assert_eq!(text.len(), 2 * depth + 4);
        assert_eq!(arrays.to_js_string(), "");
        let objects = deep_object(depth, Value::Bool(true));
        assert!(json::stringify(&objects).len() > depth);
        // Pretty output grows with the square of the depth (each level indents one more): at
        // 100k levels it is 5 GB, so the pretty printer gets a shallower value, still far
        // deeper than any parser or renderer budget.
        let pretty_depth = 5_000;
        let pretty = json::stringify_pretty(&deep_object(pretty_depth, Value::Bool(true)), " ");
        assert!(pretty.len() > pretty_depth * pretty_depth / 2);
        // A shared subtree survives its first owner's drop.
        let shared = deep_array(1_000, Value::Number(1.0));
        let holder = Value::array(vec![shared.clone(), deep_array(depth, shared.clone())]);
        drop(holder);
        assert_eq!(json::stringify(&shared).len(), 2_001);
        drop((arrays, objects));
    });
}

#[test]
fn validators_take_values_of_any_depth() {
    on_small_stack(|| {
        let deep = deep_object(200_000, Value::Null);
        let mut body = Object::new();
        body.insert("subscriberUrl", Value::string("https://example.com/h"));
        body.insert("triggers", deep_array(200_000, Value::Null));
        body.insert("active", deep.clone());
        body.insert("payloadTemplate", deep.clone());
        body.insert("unknown", deep.clone());
        let body = Value::object(body);
        let v = validate_webhook_create(&body);
        assert!(!v.ok);
        let v = validate_webhook_update(&body);
        assert!(!v.ok);

        let mut ev = Object::new();
        ev.insert("triggerEvent", Value::string("BOOKING_CREATED"));
        ev.insert("createdAt", Value::string("2024-01-01T00:00:00.000Z"));
        ev.insert("payload", deep.clone());
        let ev = Value::object(ev);
        let _ = event::validate_event(&ev, true);
        let _ = event::validate_event_value(&ev, false);
        let _ = event::event_from_value(&ev, &[], &EventOptions::default());
        let _ = event::sample_payload("BOOKING_CREATED", Some(&deep));

        let opts = CompileOptions::default();
        let t = template::compile(
            "{{a.a.a}}{{#each a}}{{this}}{{/each}}{{#with a}}{{a}}{{/with}}",
            &opts,
        )
        .unwrap();
        let _ = t.render(&deep);
        let t = template::compile("{{a}}", &opts).unwrap();
        let err = t.render(&deep_object(1, deep_array(100_000, Value::Null)));
        assert_eq!(err.unwrap_err().code, TemplateErrorCode::Limit);
    });
}

/// Nesting shapes, each `n` levels deep.
fn nested_templates(n: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "if",
            format!("{}x{}", "{{#if a}}".repeat(n), "{{/if}}".repeat(n)),
        ),
        (
            "each",
            format!("{}x{}", "{{#each a}}".repeat(n), "{{/each}}".repeat(n)),
        ),
        (
            "with",
            format!(
                "{}{{{{b}}}}{}",
                "{{#with a}}".repeat(n),
                "{{/with}}".repeat(n)
            ),
        ),
        (
            "unless-else",
            format!(
                "{}x{}",
                "{{#unless b}}{{else}}".repeat(n),
                "{{/unless}}".repeat(n)
            ),
        ),
        (
            "sub-expressions",
            format!(
                "{{{{lookup {}a{} 'c'}}}}",
                "(lookup ".repeat(n),
                " 'b')".repeat(n)
            ),
        ),
        (
            "partial chain",
            // p0 calls p1 … calls p(n-1): partial depth n at render, none in the syntax.
            (0..n)
                .map(|i| {
                    format!(
                        "{{{{#*inline \"p{i}\"}}}}{{{{> p{}}}}}{{{{/inline}}}}",
                        i + 1
                    )
                })
                .chain([format!(
                    "{{{{#*inline \"p{n}\"}}}}x{{{{/inline}}}}{{{{> p0}}}}"
                )])
                .collect(),
        ),
        (
            "partial blocks",
            format!(
                // Each level is two partial calls: `p`, then its `@partial-block`.
                "{{{{#*inline \"p\"}}}}{{{{> @partial-block}}}}{{{{/inline}}}}{}x{}",
                "{{#> p}}".repeat(n / 2 + 1),
                "{{/p}}".repeat(n / 2 + 1)
            ),
        ),
        (
            "recursive partial",
            "{{#*inline \"r\"}}{{#with a}}{{> r}}{{/with}}{{/inline}}{{> r}}".into(),
        ),
    ]
}

fn truthy_deep_data() -> Value {
    // `a` is truthy, iterable and has `a` again, 2,000 levels down.
    let mut v = Value::Bool(true);
    for _ in 0..2_000 {
        let mut o = Object::new();
        o.insert("a", v);
        o.insert("b", Value::Number(1.0));
        v = Value::object(o);
    }
    v
}

#[test]
fn nesting_limits_are_clamped_to_what_the_stack_holds() {
    on_small_stack(|| {
        let mut unlimited = CompileOptions::default();
        unlimited.limits.max_nesting = usize::MAX;
        unlimited.limits.max_data_depth = usize::MAX;
        unlimited.limits.max_template_bytes = usize::MAX;
        unlimited.limits.max_output_bytes = usize::MAX;
        let data = truthy_deep_data();
        // Past the clamp: a typed limit error, at compile or at render.
        for (shape, src) in nested_templates(MAX_NESTING + 50) {
            trace(shape);
            let result = template::compile(&src, &unlimited).and_then(|t| t.render(&data));
            let err = result.expect_err(shape);
            assert_eq!(
                err.code,
                TemplateErrorCode::Limit,
                "{shape}: {}",
                err.message
            );
        }
        // At the clamp minus the levels the shape itself adds, everything works.
        for (shape, src) in nested_templates(MAX_NESTING - 8) {
            if shape == "recursive partial" {
                continue; // unbounded by construction
            }
            trace(shape);
            let t = template::compile(&src, &unlimited).unwrap_or_else(|e| panic!("{shape}: {e}"));
            t.render(&data).unwrap_or_else(|e| panic!("{shape}: {e}"));
            let _ = t.variables();
            let _ = t.data_projection();
            let _ = lint_template(&src, &LintOptions::default());
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Secrets never appear in Debug output.
// ---------------------------------------------------------------------------------------------

#[test]
fn debug_output_never_holds_a_secret_or_api_key() {
    let input = DeliveryInput {
        trigger_event: "BOOKING_CREATED".into(),
        created_at: "2024-01-01T00:00:00.000Z".into(),
        payload: json::parse(r#"{"uid":"u"}"#).unwrap(),
        template: None,
        secret: Some(SECRET.into()),
        version: None,
        dialect: Dialect::Calcom,
        subscriber_url: Some("https://example.com/h".into()),
    };
    let mut body = Object::new();
    body.insert("subscriberUrl", Value::string("https://example.com/h"));
    body.insert(
        "triggers",
        Value::array(vec![Value::string("BOOKING_CREATED")]),
    );
    body.insert("secret", Value::string(SECRET));
    let body = Value::object(body);
    let create = validate_webhook_create(&body);
    let update = validate_webhook_update(&body);
    let request = webhook_request(
        WebhookOp::Create,
        &WebhookScope::User,
        None,
        Some(&body),
        API_KEY,
        None,
    )
    .expect("valid request");
    let patch = webhook_request(
        WebhookOp::Update,
        &WebhookScope::EventType("12".into()),
        Some("34"),
        Some(&body),
        API_KEY,
        None,
    )
    .expect("valid request");
    let verifier = signature::Verifier::new(&[SECRET]);
    let texts = [
        format!("{input:?}"),
        format!("{input:#?}"),
        format!("{create:?}"),
        format!("{update:#?}"),
        format!("{request:?}"),
        format!("{patch:#?}"),
        format!("{verifier:?}"),
        format!("{:?}", build_delivery(&input)),
    ];
    for text in &texts {
        assert!(!text.contains(SECRET), "secret in {text}");
        assert!(!text.contains(API_KEY), "API key in {text}");
        assert!(
            !text.contains("super-secret"),
            "part of the secret in {text}"
        );
    }
    // Redacted, not dropped: the fields are still visible.
    assert!(
        texts[0].contains("secret: Some(\"[redacted]\")"),
        "{}",
        texts[0]
    );
    assert!(texts[2].contains("[redacted]"), "{}", texts[2]);
    assert!(texts[4].contains("[redacted]") && texts[4].contains("subscriberUrl"));
    // The values themselves still carry the secret for sending.
    assert_eq!(
        create.value.get("secret").and_then(Value::as_str),
        Some(SECRET)
    );
}

// ---------------------------------------------------------------------------------------------
// Update normalization is idempotent.
// ---------------------------------------------------------------------------------------------

#[test]
fn null_fields_are_not_fields() {
    let v = validate_webhook_update(&common::json(r#"{"active": null}"#));
    assert!(!v.ok, "{{active: null}} is no field: {v:?}");
    assert!(v.issues.iter().any(|i| i.code.as_str() == "NO_FIELDS"));
    let v = validate_webhook_update(&common::json(
        r#"{"active": null, "secret": null, "version": null, "triggers": null, "subscriberUrl": null}"#,
    ));
    assert!(!v.ok);
    // `payloadTemplate: null` is a value (it removes the template).
    let v = validate_webhook_update(&common::json(r#"{"payloadTemplate": null}"#));
    assert!(v.ok, "{v:?}");
    assert_eq!(json::stringify(&v.value), r#"{"payloadTemplate":null}"#);
}

fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![
            Just(0.0),
            Just(1.0),
            Just(-0.0),
            Just(f64::NAN),
            any::<f64>()
        ]
        .prop_map(Value::Number),
        prop_oneof![
            Just("https://example.com/hook".to_string()),
            Just("http://127.0.0.1/x".to_string()),
            Just("BOOKING_CREATED".to_string()),
            Just("2021-10-20".to_string()),
            Just("{\"a\":\"{{title}}\"}".to_string()),
            Just("0123456789abcdef0123".to_string()),
            "\\PC{0,12}",
        ]
        .prop_map(Value::string),
        prop::collection::vec(
            prop_oneof![
                Just(Value::string("BOOKING_CREATED")),
                Just(Value::string("MEETING_ENDED")),
                Just(Value::string("NOPE")),
                Just(Value::Null),
            ],
            0..4
        )
        .prop_map(Value::array),
    ]
}

fn webhook_body() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("subscriberUrl".to_string()),
        Just("triggers".to_string()),
        Just("active".to_string()),
        Just("payloadTemplate".to_string()),
        Just("secret".to_string()),
        Just("version".to_string()),
        Just("0".to_string()),
        Just("extra".to_string()),
        "[a-z0-9]{0,3}",
    ];
    prop::collection::vec((key, field_value()), 0..8).prop_map(|pairs| {
        let mut o = Object::new();
        for (k, v) in pairs {
            o.insert(k, v);
        }
        Value::object(o)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn normalized_webhook_bodies_validate_to_themselves(body in webhook_body()) {
        for update in [false, true] {
            let validate = if update { validate_webhook_update } else { validate_webhook_create };
            let first = validate(&body);
            if !first.ok {
                continue;
            }
            let second = validate(&first.value);
            prop_assert!(second.ok, "update={update}: {:?} re-validated to {:?}", first.value, second);
            prop_assert_eq!(json::stringify(&second.value), json::stringify(&first.value));
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let lax = EventOptions { max_age_ms: None, max_future_ms: None, ..EventOptions::default() };
        let _ = json::parse_bytes(&bytes);
        let _ = event::parse_event(&bytes, &lax);
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_header(Some(&text));
        let _ = signature::diagnose(&bytes, Some(&text), &bytes);
        let _ = parse_webhook_response(&text);
    }

    #[test]
    fn random_templates_never_panic(src in "(\\{\\{|\\}\\}|[#/>^~!&*@.\"' ()=|]|as|else|if|each|with|lookup|this|a|0|\\[|\\]|\n){0,40}") {
        let options = LintOptions { dialect: Dialect::Reference, trigger: Some("BOOKING_CREATED".into()) };
        let _ = lint_template(&src, &options);
        let _ = check_payload_template(&src, &["BOOKING_CREATED".into(), "MEETING_ENDED".into()]);
        if let Ok(t) = template::compile(&src, &CompileOptions::default()) {
            let _ = t.render(&truthy_deep_data());
            let _ = t.variables();
            let _ = t.data_projection().to_value();
        }
    }

    #[test]
    fn retry_times_never_wrap(n in any::<f64>(), t in any::<f64>()) {
        match try_next_retry_at(n, t) {
            Ok(Some(at)) => {
                prop_assert!((1.0..=5.0).contains(&n) && n.fract() == 0.0);
                prop_assert!(at > t && at.is_finite() && at.abs() <= 8.64e15);
            }
            Ok(None) => prop_assert!(n == 0.0 || n > 5.0),
            Err(_) => {}
        }
    }
}
