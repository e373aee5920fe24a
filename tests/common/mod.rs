//! Shared test helpers: JSON text to `calhook::json::Value` (through serde_json, test-only).

#![allow(dead_code)]

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
