//! Micro-benchmark of the delivery pipeline, stage by stage (native; the wasm build is slower
//! by a roughly constant factor, so this shows where the time goes).
//!
//! `cargo run --release --example bench_delivery -- PAYLOAD.json TEMPLATE.hbs [iterations]`
//! (for instruction counts under load: `valgrind --tool=callgrind` on it with few iterations).
//! A fourth argument names one stage (`parse`, `body`: what the wasm layer does, `tree`: the general path) to run exactly `iterations`
//! times without timing, so that an instruction count divided by `iterations` is per call.

use std::hint::black_box;
use std::time::Instant;

use calhook::delivery::{
    build_delivery_body, build_delivery_body_json, build_delivery_cached,
    build_delivery_with_offsets, Attendees, DeliveryInput, Dialect, TemplateCache, UtcOffsets,
};
use calhook::template::{compile, CompileOptions};

fn time<T>(name: &str, iterations: u32, mut f: impl FnMut() -> T) {
    for _ in 0..iterations / 10 + 1 {
        black_box(f());
    }
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..iterations {
            black_box(f());
        }
        best = best.min(start.elapsed().as_secs_f64() / f64::from(iterations));
    }
    println!("{name:<32} {:>9.2} µs/op", best * 1e6);
}

fn read(path: Option<String>) -> String {
    let path = path.unwrap_or_default();
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    })
}

fn main() {
    let mut args = std::env::args().skip(1);
    let payload_text = read(args.next());
    let template = read(args.next());
    let iterations: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(2000);
    let Ok(payload) = calhook::json::parse(&payload_text) else {
        eprintln!("payload is not JSON");
        std::process::exit(1)
    };
    let input = DeliveryInput {
        trigger_event: "BOOKING_CREATED".into(),
        created_at: "2024-01-15T10:00:00.000Z".into(),
        payload,
        template: Some(template.clone()),
        secret: Some("whsec_benchmark".into()),
        version: None,
        dialect: Dialect::Calcom,
        subscriber_url: None,
    };
    let mut offsets = UtcOffsets::new();
    offsets.insert("Europe/London".into(), Some(0));
    offsets.insert("America/New_York".into(), Some(-300));
    let mut cache = TemplateCache::default();
    let mut owned = input.clone();
    // The general path: parse the payload text, then prepare it in place (no signature: long
    // bodies are signed by the host).
    let tree = |owned: &mut DeliveryInput, cache: &mut TemplateCache| {
        owned.payload = calhook::json::parse(black_box(&payload_text)).unwrap_or_default();
        build_delivery_body(owned, &offsets, Attendees::AsGiven, cache)
    };
    // What the wasm layer does per delivery: straight from the text where it can, else the
    // general path.
    let body = |owned: &mut DeliveryInput, cache: &mut TemplateCache| match build_delivery_body_json(
        owned,
        black_box(&payload_text),
        &offsets,
        Attendees::AsGiven,
        cache,
    ) {
        Some(body) => Ok(body),
        None => tree(owned, cache),
    };
    if let Some(stage) = args.next() {
        for _ in 0..iterations {
            match stage.as_str() {
                "parse" => drop(black_box(calhook::json::parse(black_box(&payload_text)))),
                "body" => drop(black_box(body(&mut owned, &mut cache))),
                "tree" => drop(black_box(tree(&mut owned, &mut cache))),
                _ => {
                    eprintln!("stage must be parse, body or tree");
                    std::process::exit(2)
                }
            }
        }
        return;
    }
    time("json::parse payload", iterations, || {
        calhook::json::parse(black_box(&payload_text))
    });
    time("compile template", iterations, || {
        compile(black_box(&template), &CompileOptions::default())
    });
    time("build_delivery_with_offsets", iterations, || {
        build_delivery_with_offsets(black_box(&input), &offsets)
    });
    let mut cached = TemplateCache::default();
    time("build_delivery_cached", iterations, || {
        build_delivery_cached(black_box(&input), &offsets, &mut cached)
    });
    time("parse + build_delivery_body", iterations, || {
        tree(&mut owned, &mut cached)
    });
    time("build_delivery_body_json", iterations, || {
        body(&mut owned, &mut cached)
    });
}
