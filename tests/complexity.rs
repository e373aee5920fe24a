//! Every public entry point is linear (or n log n) on adversarial input: quadrupling the input
//! must roughly quadruple the time. Each case builds inputs of size n and 4n (outside the
//! timing) and compares their fastest samples. A linear function gives a ratio near 4, n log n
//! about 5, a quadratic one near 16; the bound (10) separates them with room for noise.
//!
//! The machine running `make test` is often shared, so samples are this thread's CPU time
//! where the platform offers it (time spent waiting for a core does not count), each sample
//! repeats the call until it has used a few milliseconds (one short call is timer noise), and
//! the fastest of several samples is kept: load only ever adds time.
//!
//! The sizes are picked so one run takes a few milliseconds in a debug build: large enough to
//! dominate fixed costs, small enough for `cargo test`.

mod common;

use calhook::json::{self, Object, ParseOptions, Value};
use calhook::lint::LintOptions;
use calhook::template::{self, CompileOptions};
use calhook::webhook::{validate_webhook_create, validate_webhook_update};
use std::sync::Mutex;

const RUNS: usize = 5;
static SERIAL: Mutex<()> = Mutex::new(());
const FACTOR: usize = 4;
const MAX_RATIO: f64 = 10.0;
const SAMPLE_SECONDS: f64 = 0.004;

/// Seconds of CPU time this thread has used.
#[cfg(unix)]
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the call only writes into it.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// Wall-clock seconds since the first call, where no per-thread CPU clock is available.
#[cfg(not(unix))]
fn thread_cpu_seconds() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
}

/// CPU seconds of one call of `run(input)`, from repeating it for at least [`SAMPLE_SECONDS`].
fn sample<T>(run: &impl Fn(&T), input: &T) -> f64 {
    let start = thread_cpu_seconds();
    let mut calls = 0u32;
    loop {
        run(input);
        calls += 1;
        let spent = thread_cpu_seconds() - start;
        if spent >= SAMPLE_SECONDS {
            return spent / f64::from(calls);
        }
    }
}

/// Time `run` on inputs `build(n)` and `build(4n)`; fail when the ratio of their fastest
/// samples is above [`MAX_RATIO`]. A ratio above it is measured twice more before failing.
fn assert_linear<T>(name: &str, n: usize, build: impl Fn(usize) -> T, run: impl Fn(&T)) {
    // One measurement at a time: tests run on parallel threads by default.
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let small = build(n);
    let large = build(FACTOR * n);
    let mut ratio = 0.0;
    for _attempt in 0..3 {
        // Warm up allocators and caches.
        run(&small);
        run(&large);
        let (mut a, mut b) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..RUNS {
            a = a.min(sample(&run, &small));
            b = b.min(sample(&run, &large));
        }
        ratio = b / a.max(1e-9);
        eprintln!(
            "{name}: n={n} {:.3} ms, {FACTOR}n={:.3} ms, ratio {ratio:.2}",
            a * 1e3,
            b * 1e3
        );
        if ratio < MAX_RATIO {
            return;
        }
    }
    panic!(
        "{name}: {FACTOR}x the input multiplied the CPU time by {ratio:.2} \
         (limit {MAX_RATIO}; linear is ~{FACTOR}, quadratic ~{})",
        FACTOR * FACTOR
    );
}

fn big_parse() -> ParseOptions {
    ParseOptions {
        max_bytes: usize::MAX,
        ..ParseOptions::default()
    }
}

/// `{"n":1,"n-1":1,…}` with array-index keys in descending order (each insert goes first in
/// JS order).
fn index_keys_object(n: usize, descending: bool) -> String {
    let mut s = String::from("{");
    for i in 0..n {
        let k = if descending { n - i } else { i };
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!("\"{k}\":{i}"));
    }
    s.push('}');
    s
}

/// Index keys in a scrambled order (a multiplicative permutation).
fn scrambled_keys_object(n: usize) -> String {
    let mut s = String::from("{");
    for i in 0..n {
        let k = (i * 7_919) % (4 * n + 1);
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!("\"{k}\":1,\"k{i}\":2"));
    }
    s.push('}');
    s
}

#[test]
fn json_parse_is_linear_on_adversarial_key_shapes() {
    let opts = big_parse();
    let parse = |s: &String| {
        json::parse_with(s, &opts).expect("valid JSON");
    };
    assert_linear(
        "json descending index keys",
        10_000,
        |n| index_keys_object(n, true),
        parse,
    );
    assert_linear(
        "json ascending index keys",
        10_000,
        |n| index_keys_object(n, false),
        parse,
    );
    assert_linear(
        "json scrambled index keys",
        5_000,
        scrambled_keys_object,
        parse,
    );
    assert_linear(
        "json duplicate keys",
        10_000,
        |n| format!("{{{}\"a\":0}}", "\"a\":1,\"0\":1,".repeat(n)),
        parse,
    );
    assert_linear(
        "json deep-and-wide arrays",
        50,
        |n| {
            format!(
                "[{}0]",
                ("[".repeat(400) + &"]".repeat(400) + ",").repeat(n)
            )
        },
        parse,
    );
}

#[test]
fn object_model_inserts_are_linear_in_any_key_order() {
    let build = |n: usize| n;
    assert_linear(
        "Object::insert descending index keys",
        10_000,
        build,
        |&n| {
            let mut o = Object::new();
            for i in (0..n).rev() {
                o.insert(i.to_string(), Value::Null);
            }
            assert_eq!(o.keys().next(), Some("0"));
        },
    );
    // Named keys past the linear-search size go into an ordered index: keys in a scrambled
    // order, all sharing a long prefix (every comparison reads it), each looked up once and
    // once missed, after parsing them.
    let opts = big_parse();
    assert_linear(
        "Object::get on a huge object with many named keys",
        4_000,
        |n| {
            let prefix = "k".repeat(48);
            let keys: Vec<String> = (0..n)
                .map(|i| format!("{prefix}{}", (i * 7_919) % (4 * n + 1)))
                .collect();
            let text = format!(
                "{{{}}}",
                keys.iter()
                    .map(|k| format!("\"{k}\":1"))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            (keys, text)
        },
        |(keys, text)| {
            let v = json::parse_with(text, &opts).expect("valid JSON");
            let o = v.value.as_object().expect("an object");
            for k in keys {
                assert!(o.get(k).is_some());
                assert!(!o.contains_key(&format!("{k}x")));
            }
        },
    );
    assert_linear("Object::remove after many inserts", 5_000, build, |&n| {
        let mut o = Object::new();
        for i in 0..n {
            o.insert(format!("k{i}"), Value::Null);
            o.insert(i.to_string(), Value::Null);
        }
        for i in 0..10 {
            o.remove(&format!("k{i}"));
            o.remove(&i.to_string());
        }
        assert_eq!(o.len(), 2 * n - 20);
    });
}

#[test]
fn stringify_is_linear() {
    assert_linear(
        "stringify wide object",
        20_000,
        |n| {
            json::parse_with(&index_keys_object(n, true), &big_parse())
                .unwrap()
                .value
        },
        |v| {
            json::stringify(v);
        },
    );
    assert_linear(
        "stringify escapes",
        50_000,
        |n| Value::string("\u{1}\"\\\n\u{2028}é".repeat(n)),
        |v| {
            json::stringify(v);
        },
    );
}

fn event_body(metadata: &str) -> Vec<u8> {
    format!(
        "{{\"triggerEvent\":\"BOOKING_CREATED\",\"createdAt\":\"2024-01-01T00:00:00.000Z\",\
         \"payload\":{{\"uid\":\"u\",\"title\":\"t\",\"metadata\":{metadata}}}}}"
    )
    .into_bytes()
}

#[test]
fn parse_event_is_linear() {
    let opts = calhook::event::ParseOptions {
        max_bytes: usize::MAX,
        max_age_ms: None,
        max_future_ms: None,
        ..Default::default()
    };
    let parse = |b: &Vec<u8>| {
        let _ = calhook::event::parse_event(b, &opts);
    };
    assert_linear(
        "parse_event descending metadata keys",
        10_000,
        |n| event_body(&index_keys_object(n, true)),
        parse,
    );
    assert_linear(
        "parse_event many attendees",
        2_000,
        |n| {
            let one = r#"{"name":"A","email":"a@example.com","timeZone":"UTC","language":{"locale":"en"}}"#;
            event_body(&format!("{{}},\"attendees\":[{}]", vec![one; n].join(",")))
        },
        parse,
    );
    // Every duplicate key's position is recorded (line and column on one minified line).
    assert_linear(
        "parse_event duplicate keys",
        5_000,
        |n| event_body(&format!("{{{}\"k\":0}}", "\"k\":1,".repeat(n))),
        parse,
    );
    assert_linear(
        "parse_event wrong types everywhere",
        5_000,
        |n| event_body(&format!("{{}},\"attendees\":[{}]", vec!["1"; n].join(","))),
        parse,
    );
}

fn triggers(items: Vec<String>) -> Value {
    let mut o = Object::new();
    o.insert("subscriberUrl", Value::string("https://example.com/hook"));
    o.insert(
        "triggers",
        Value::array(items.into_iter().map(Value::string).collect()),
    );
    Value::object(o)
}

#[test]
fn webhook_validation_is_linear() {
    let check = |v: &Value| {
        validate_webhook_create(v);
        validate_webhook_update(v);
    };
    assert_linear(
        "validate distinct unknown triggers",
        2_500,
        |n| triggers((0..n).map(|i| format!("NOT_A_TRIGGER_{i}")).collect()),
        check,
    );
    assert_linear(
        "validate duplicate triggers",
        5_000,
        |n| triggers(vec!["BOOKING_CREATED".to_string(); n]),
        check,
    );
    assert_linear(
        "validate non-string triggers",
        5_000,
        |n| {
            let mut o = Object::new();
            o.insert("subscriberUrl", Value::string("https://example.com/hook"));
            o.insert("triggers", Value::array(vec![Value::Number(1.0); n]));
            Value::object(o)
        },
        check,
    );
    assert_linear(
        "validate many unknown fields",
        2_500,
        |n| {
            let mut o = Object::new();
            o.insert("subscriberUrl", Value::string("https://example.com/hook"));
            for i in 0..n {
                o.insert(format!("field{i}"), Value::Null);
            }
            Value::object(o)
        },
        check,
    );
    assert_linear(
        "validate template with many variables",
        1_000,
        |n| {
            let mut o = Object::new();
            o.insert("subscriberUrl", Value::string("https://example.com/hook"));
            o.insert(
                "triggers",
                Value::array(vec![Value::string("BOOKING_CREATED")]),
            );
            let src: String = (0..n).map(|i| format!("{{{{v{i}}}}}")).collect();
            o.insert("payloadTemplate", Value::string(src));
            Value::object(o)
        },
        check,
    );
}

fn many_vars(n: usize) -> String {
    (0..n)
        .map(|i| format!("{{{{v{i}.a}}}}{{{{v{i}}}}}"))
        .collect()
}

#[test]
fn lint_is_linear() {
    let lint = |s: &String| {
        calhook::lint::lint_template(s, &LintOptions::default());
    };
    assert_linear("lint distinct variables", 1_000, many_vars, lint);
    assert_linear(
        "lint repeated variable",
        1_000,
        |n| "{{title}} ".repeat(n),
        lint,
    );
    assert_linear(
        "lint unknown payload paths",
        500,
        |n| {
            (0..n)
                .map(|i| format!("{{{{organizer.x{i}}}}}{{{{attendees.{i}.email}}}}"))
                .collect()
        },
        lint,
    );
    assert_linear(
        "lint sibling blocks",
        300,
        |n| "{{#each attendees}}{{name}}{{/each}}{{#if title}}{{else}}x{{/if}}".repeat(n),
        lint,
    );
    let booking = LintOptions {
        trigger: Some("BOOKING_CREATED".into()),
        ..LintOptions::default()
    };
    let lint_booking = |s: &String| {
        calhook::lint::lint_template(s, &booking);
    };
    assert_linear(
        "lint unknown variables of a trigger",
        500,
        |n| (0..n).map(|i| format!("{{{{v{i}}}}}")).collect(),
        lint_booking,
    );
    assert_linear(
        "lint unknown helpers and partials",
        300,
        |n| {
            (0..n)
                .map(|i| format!("{{{{h{i} a}}}}{{{{> p{i}}}}}"))
                .collect()
        },
        lint_booking,
    );
    assert_linear(
        "lint syntax errors",
        2_000,
        |n| "{{a}} {{/b}}".repeat(n),
        lint,
    );
}

fn big_template() -> CompileOptions {
    let mut o = CompileOptions::default();
    o.limits.max_template_bytes = usize::MAX;
    o.limits.max_output_bytes = usize::MAX;
    o
}

#[test]
fn template_variables_and_projection_are_linear() {
    let opts = big_template();
    let compile = |n: usize| template::compile(&many_vars(n), &opts).unwrap();
    assert_linear("Template::variables", 2_000, compile, |t| {
        t.variables();
    });
    assert_linear("Template::data_projection", 1_000, compile, |t| {
        t.data_projection();
    });
    // Many keys at one level, in scrambled order: the projection's children map.
    let scrambled = |n: usize| {
        let src: String = (0..n)
            .map(|i| format!("{{{{a.k{}}}}}", (i * 7_919) % (4 * n + 1)))
            .collect();
        template::compile(&src, &opts).unwrap()
    };
    assert_linear(
        "Template::data_projection scrambled keys",
        2_000,
        scrambled,
        |t| {
            t.data_projection();
        },
    );
    assert_linear(
        "compile many blocks",
        500,
        |n| "{{#each a}}{{b}}{{else}}{{c}}{{/each}}".repeat(n),
        |s| {
            template::compile(s, &opts).unwrap();
        },
    );
}

#[test]
fn render_is_linear() {
    let opts = big_template();
    assert_linear(
        "render many variables",
        20_000,
        |n| {
            let t = template::compile(&many_vars(n), &opts).unwrap();
            (t, Value::Null)
        },
        |(t, d)| {
            t.render(d).unwrap();
        },
    );
    assert_linear(
        "render each over a big array",
        5_000,
        |n| {
            let t = template::compile("{{#each a}}{{@index}}{{this}}{{/each}}", &opts).unwrap();
            let mut o = Object::new();
            o.insert("a", Value::array(vec![Value::string("x<"); n]));
            (t, Value::object(o))
        },
        |(t, d)| {
            t.render(d).unwrap();
        },
    );
    assert_linear(
        "render each over an object with index keys",
        5_000,
        |n| {
            let t = template::compile("{{#each a}}{{@key}}{{/each}}", &opts).unwrap();
            let data = json::parse_with(
                &format!("{{\"a\":{}}}", index_keys_object(n, true)),
                &big_parse(),
            )
            .unwrap()
            .value;
            (t, data)
        },
        |(t, d)| {
            t.render(d).unwrap();
        },
    );
}

/// A well-formed digest that matches nothing, so `diagnose` tries every body variant.
const WRONG_DIGEST: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[test]
fn diagnose_is_linear() {
    let secret = b"whsec";
    assert_linear(
        "diagnose wide body",
        2_000,
        |n| index_keys_object(n, true).into_bytes(),
        |b| {
            calhook::signature::diagnose(b, Some(WRONG_DIGEST), secret);
        },
    );
    assert_linear(
        "diagnose deep body",
        300,
        |n| {
            format!(
                "[{}0]",
                ("[".repeat(200) + &"]".repeat(200) + ",").repeat(n)
            )
            .into_bytes()
        },
        |b| {
            calhook::signature::diagnose(b, Some(WRONG_DIGEST), secret);
        },
    );
}
