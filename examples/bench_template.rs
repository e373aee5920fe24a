//! Micro-benchmark of template rendering.
//!
//! `cargo run --release --example bench_template -- [data.json [iterations [filter]]]`
//!
//! The data defaults to the benchmarks' booking (tests/fixtures/booking.json, also read by
//! bench/template.mjs and tests/fast_render.rs), with the `triggerEvent` and `createdAt` the
//! JS benchmarks add; `render_json` renders it from its JSON text, `render_words` from its
//! word form (what the JS package sends).

use std::hint::black_box;
use std::time::Instant;

use calhook::json::Value;
use calhook::template::{compile, CompileOptions};

const LARGE: &str = r#"{"attendees": [{{#each attendees}}{ "i": "{{@index}}", "name": "{{name}}", "email": "{{email}}", "tz": "{{timeZone}}", "locale": "{{language.locale}}"{{#if @first}}, "first": true{{/if}} }{{#unless @last}},{{/unless}}{{/each}}], "video": "{{#if metadata.videoCallUrl}}{{metadata.videoCallUrl}}{{else}}none{{/if}}"}"#;

const PRETTY: &str = r#"{
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

const SMALL: &str = r#"{"event": "{{triggerEvent}}", "booking_id": "{{uid}}", "attendee": "{{attendees.0.email}}"}"#;

fn time<T>(name: &str, iterations: u32, mut f: impl FnMut() -> T) {
    if let Some(filter) = std::env::args().nth(3) {
        if name != filter {
            return;
        }
    }
    for _ in 0..iterations / 10 + 1 {
        black_box(f());
    }
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..iterations {
            black_box(f());
        }
        let per_op = start.elapsed().as_secs_f64() / f64::from(iterations);
        best = best.min(per_op);
    }
    println!("{name:<32} {:>9.2} µs/op", best * 1e6);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/booking.json").to_string()
    });
    let iterations: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(5000);
    let body = match std::fs::read_to_string(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let data = match calhook::json::parse(&body) {
        Ok(v) => match v.as_object() {
            Some(o) => {
                let mut o = o.clone();
                o.insert("triggerEvent", Value::string("BOOKING_CREATED"));
                o.insert("createdAt", Value::string("2024-01-15T10:00:00.000Z"));
                Value::object(o)
            }
            None => v,
        },
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let body = calhook::json::stringify(&data);
    let options = CompileOptions::default();
    let mut templates = Vec::new();
    for (name, source) in [("large", LARGE), ("pretty", PRETTY), ("small", SMALL)] {
        match compile(source, &options) {
            Ok(t) => templates.push((name, source, t)),
            Err(e) => {
                eprintln!("{name}: {e}");
                std::process::exit(1);
            }
        }
    }
    time("json::parse", iterations, || {
        calhook::json::parse(black_box(&body))
    });
    for (name, source, t) in &templates {
        time(&format!("render {name}"), iterations, || {
            t.render(black_box(&data))
        });
        time(&format!("render_json {name}"), iterations, || {
            t.try_render_json(black_box(&body))
        });
        let words = calhook::json::Words::of(&data);
        time(&format!("render_words {name}"), iterations, || {
            t.render_words(black_box(&words.text), words.units, black_box(&words.words))
        });
        time(&format!("compile {name}"), iterations, || {
            compile(black_box(source), &options)
        });
    }
}
