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
