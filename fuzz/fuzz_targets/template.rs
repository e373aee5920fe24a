//! Template engine: compile in both dialects, render against a fixed sample payload and
//! against JSON data from the input, and check the data projection.
//!
//! Input: one flag byte, the template source, a NUL byte, then JSON data (optional).
//! Flags: bit 0 = Reference dialect first, bit 1 = small limits (output 256 bytes, nesting 8),
//! bit 2 = no data part: the whole rest is the template (NUL bytes included, which the lexer
//! treats specially).
//!
//! Invariants:
//! - spans (errors and every AST node) lie within the source, at char boundaries, with the
//!   line/column of their start;
//! - a successful render never exceeds `max_output_bytes`;
//! - rendering is deterministic (two renders of one compiled template agree);
//! - `compile(src)` equals `render` in one step;
//! - the Reference dialect accepts everything the Calcom dialect accepts;
//! - the direct path (`try_render_json`), when it answers, gives what `render` gives, and only
//!   for valid JSON;
//! - projection: rendering the pruned data (what the JS layer sends into wasm) gives exactly
//!   the same result as rendering the whole data.
#![no_main]

use calhook::event::sample_payload;
use calhook::json::{self, Value};
use calhook::template::projection::Projection;
use calhook::template::{self, CompileOptions, Dialect, Limits, Template};
use calhook_fuzz::{check_program_spans, check_span, prune, split_nul};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn fixed_data() -> &'static str {
    static DATA: OnceLock<String> = OnceLock::new();
    DATA.get_or_init(|| {
        let v = sample_payload("BOOKING_CREATED", None).expect("known trigger");
        json::stringify(&v)
    })
}

fn outcome(source: &str, r: Result<String, template::TemplateError>) -> Result<String, String> {
    r.map_err(|e| {
        if let Some(span) = &e.span {
            check_span(source, span, "render error");
        }
        format!("{}: {}", e.code, e.message)
    })
}

fn exercise(source: &str, t: &Template, options: &CompileOptions, data: &Value) {
    let first = outcome(source, t.render(data));
    if let Ok(out) = &first {
        assert!(
            out.len() <= options.limits.max_output_bytes,
            "output of {} bytes exceeds the limit of {}",
            out.len(),
            options.limits.max_output_bytes
        );
    }
    let again = outcome(source, t.render(data));
    assert_eq!(first, again, "render is not deterministic");
    let one_shot = outcome(source, template::render(source, data, options));
    assert_eq!(first, one_shot, "render() differs from compile().render()");
    // The direct path (what the wasm binding tries first) on the data's JSON text.
    if let Some(direct) = t.try_render_json(&json::stringify(data)) {
        assert_eq!(Ok(direct), first, "the direct path differs from render()");
    }

    if let Projection::Some(_) = t.data_projection() {
        let node = t.data_projection().to_value();
        let pruned = prune(data, &node);
        let projected = outcome(source, t.render(&pruned));
        assert_eq!(
            first,
            projected,
            "rendering the projected data differs\nprojection: {}\ndata: {}\npruned: {}",
            json::stringify(&node),
            json::stringify(data),
            json::stringify(&pruned)
        );
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&flags, rest)) = input.split_first() else {
        return;
    };
    let (src, data) = if flags & 4 != 0 {
        (rest, &[][..])
    } else {
        split_nul(rest)
    };
    let source = String::from_utf8_lossy(src);
    let source = source.as_ref();
    let mut limits = Limits::default();
    if flags & 2 != 0 {
        limits.max_output_bytes = 256;
        limits.max_nesting = 8;
    }
    let dialects = if flags & 1 != 0 {
        [Dialect::Reference, Dialect::Calcom]
    } else {
        [Dialect::Calcom, Dialect::Reference]
    };
    let mut datas = vec![json::parse(fixed_data()).expect("sample parses")];
    if let Ok(v) = json::parse_bytes(data) {
        datas.push(v);
    }
    let mut compiled = Vec::new();
    for dialect in dialects {
        let options = CompileOptions { dialect, limits };
        match template::compile(source, &options) {
            Ok(t) => {
                check_program_spans(source, t.ast());
                let _ = t.variables();
                let _ = json::stringify(&t.data_projection().to_value());
                for d in &datas {
                    exercise(source, &t, &options, d);
                }
                // The direct path on the raw text: it answers only for valid JSON, as render does.
                if let Some(direct) = std::str::from_utf8(data)
                    .ok()
                    .and_then(|d| t.try_render_json(d))
                {
                    let parsed =
                        json::parse_bytes(data).expect("the direct path accepted invalid JSON");
                    assert_eq!(
                        Ok(direct),
                        outcome(source, t.render(&parsed)),
                        "direct path on the raw text"
                    );
                }
                compiled.push(dialect);
            }
            Err(e) => {
                if let Some(span) = &e.span {
                    check_span(source, span, "compile error");
                }
            }
        }
    }
    if compiled.contains(&Dialect::Calcom) {
        assert!(
            compiled.contains(&Dialect::Reference),
            "the Reference dialect rejects a template the Calcom dialect accepts"
        );
    }
});
