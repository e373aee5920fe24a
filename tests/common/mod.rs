//! Shared test helpers: JSON text to `calhook::json::Value` (through serde_json, test-only).

#![allow(dead_code)]

use calhook::event::ParseEventOptions;
use calhook::json::{Object, Value};

/// Convert a serde_json value (parsed with key order preserved) into a `Value`.
pub fn to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::string(s.as_str()),
        serde_json::Value::Array(a) => Value::array(a.iter().map(to_value).collect()),
        serde_json::Value::Object(o) => {
            let mut obj = Object::new();
            for (k, v) in o {
                obj.insert(k.as_str(), to_value(v));
            }
            Value::object(obj)
        }
    }
}

/// Parse JSON text into a `Value`.
pub fn json(text: &str) -> Value {
    to_value(&serde_json::from_str(text).expect("test JSON must parse"))
}

/// SplitMix64: small, seedable, reproducible randomness for generated test corpora.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with the given probability in percent.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    /// One of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// The realistic event bodies in `tests/events/*.json`, as (file stem, bytes), sorted by name.
pub fn event_fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/events");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/events exists") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let name = path
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            out.push((name, std::fs::read(&path).expect("readable")));
        }
    }
    out.sort();
    out
}

/// One example of the API reference, copied verbatim into `tests/reference/webhooks-api-examples.txt`.
pub struct ReferenceExample {
    /// Section name, e.g. `booking-created`.
    pub name: String,
    /// What it is: `event`, `webhook-create`, `endpoints`, ...
    pub kind: String,
    /// Where it comes from in the reference.
    pub source: String,
    /// The example, byte for byte.
    pub text: String,
}

/// The reference's examples (see the fixture's header for the format), in file order.
pub fn reference_examples() -> Vec<ReferenceExample> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference/webhooks-api-examples.txt");
    let text = std::fs::read_to_string(path).expect("the reference fixture exists");
    let mut out = Vec::new();
    for section in text.split("\n=== ").skip(1) {
        let (head, body) = section
            .split_once("\n---\n")
            .expect("section has a --- line");
        let name = head.lines().next().expect("section name").to_string();
        let field = |key: &str| {
            head.lines()
                .find_map(|l| l.strip_prefix(&format!("{key}: ")))
                .unwrap_or_else(|| panic!("{name}: no {key}"))
                .to_string()
        };
        let (kind, source) = (field("kind"), field("source"));
        let body = body.strip_suffix('\n').unwrap_or(body);
        out.push(ReferenceExample {
            name,
            kind,
            source,
            text: body.to_string(),
        });
    }
    out
}

/// The reference example called `name`.
pub fn reference_example(name: &str) -> String {
    reference_examples()
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no reference example {name}"))
        .text
}

/// The reference's BOOKING_CANCELLED / BOOKING_RESCHEDULED examples elide the organizer and
/// attendees (`"organizer": {...}`, `"attendees": [...]`): filled in, as the reference
/// describes them, with those of its BOOKING_CREATED example.
pub fn fill_elided(text: &str) -> String {
    let created: serde_json::Value =
        serde_json::from_str(&reference_example("booking-created")).expect("created parses");
    let organizer = serde_json::to_string(&created["payload"]["organizer"]).expect("organizer");
    let attendees = serde_json::to_string(&created["payload"]["attendees"]).expect("attendees");
    assert!(
        text.contains("{...}") && text.contains("[...]"),
        "nothing elided"
    );
    text.replace("{...}", &organizer)
        .replace("[...]", &attendees)
}

/// `parseEvent` option sets that steer a body down different paths: defaults, strict, a
/// clock inside the replay window, an hour late and an hour early, a 64-byte size limit.
pub fn parse_option_sets() -> Vec<ParseEventOptions> {
    let now = calhook::event::shape::date_time_ms("2024-01-15T09:00:30.000Z");
    vec![
        ParseEventOptions::default(),
        ParseEventOptions {
            strict: true,
            ..Default::default()
        },
        ParseEventOptions {
            now_ms: now,
            ..Default::default()
        },
        ParseEventOptions {
            now_ms: now.map(|n| n + 3_600_000.0),
            ..Default::default()
        },
        ParseEventOptions {
            now_ms: now.map(|n| n - 3_600_000.0),
            ..Default::default()
        },
        ParseEventOptions {
            max_bytes: 64,
            ..Default::default()
        },
    ]
}
