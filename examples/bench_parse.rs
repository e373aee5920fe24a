//! Micro-benchmark of JSON parsing and event parsing on a body file.
//!
//! `cargo run --release --example bench_parse -- /tmp/body3k.json [iterations [filter]]`

use std::hint::black_box;
use std::time::Instant;

fn time<T>(name: &str, iterations: u32, mut f: impl FnMut() -> T) {
    // An optional third argument runs only the benchmark of that name (handy under
    // `valgrind --tool=cachegrind`: instruction counts are stable where time is not).
    if let Some(filter) = std::env::args().nth(3) {
        if name != filter {
            return;
        }
    }
    // Warm up, then take the best of five rounds (the machine is shared and noisy).
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
    println!("{name:<40} {:>9.2} µs/op", best * 1e6);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: bench_parse <body.json> [iterations]");
        std::process::exit(2);
    };
    let iterations: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(5000);
    let body = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    println!("{path}: {} bytes, {iterations} iterations", body.len());
    let dup_opts = calhook::json::ParseOptions {
        report_duplicates: true,
        ..Default::default()
    };
    let event_opts = calhook::event::ParseOptions::default();
    let value = match calhook::json::parse_bytes(&body) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    time("json::parse_bytes", iterations, || {
        calhook::json::parse_bytes(black_box(&body))
    });
    time("json::parse_bytes_with (duplicates)", iterations, || {
        calhook::json::parse_bytes_with(black_box(&body), &dup_opts)
    });
    time("json::stringify", iterations, || {
        calhook::json::stringify(black_box(&value))
    });
    time("event::validate_event", iterations, || {
        calhook::event::validate_event(black_box(&value), false)
    });
    time("event::fast_meta", iterations, || {
        calhook::event::fast_meta(black_box(&body), &event_opts)
    });
    time("event::parse_event", iterations, || {
        calhook::event::parse_event(black_box(&body), &event_opts)
    });
    time(
        "event::parse_event + to_value + stringify",
        iterations,
        || {
            calhook::event::parse_event(black_box(&body), &event_opts)
                .map(|e| calhook::json::stringify(&e.to_value()))
        },
    );
}
