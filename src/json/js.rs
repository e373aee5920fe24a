//! JavaScript's `String(v)` and loose equality (`==`) on [`Value`]: the one implementation
//! that the renderer (`{{x}}`, `lookup` keys, the `depths` stack), the projection and the
//! linter share.

use std::rc::Rc;

use super::value::{write_number, Value};

/// How far [`Value::write_js_string`] may go before it stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsStringLimits {
    /// Arrays nested this many levels deep stop the text (the outermost array is level 0).
    /// JavaScript's `Array#join` recurses on the machine stack; bounded data must not.
    pub max_depth: usize,
    /// The text may not grow beyond this many bytes (checked after each array element).
    pub max_len: usize,
}

/// Why [`Value::write_js_string`] stopped before the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsStringStop {
    /// An array was nested [`JsStringLimits::max_depth`] levels deep.
    Depth,
    /// The text exceeded [`JsStringLimits::max_len`] bytes.
    Length,
    /// An object with an own `toString` key has no primitive value: JSON cannot make that key
    /// a function, so JavaScript's `ToPrimitive` finds nothing to call and throws
    /// `TypeError: Cannot convert object to primitive value`.
    NoPrimitive,
}

/// Arrays nested deeper than this end the text of [`Value::to_js_string`] (JavaScript itself
/// throws a `RangeError` somewhere past ten thousand levels).
const MAX_JOIN_DEPTH: usize = 512;

/// `array == primitive` compares the array's `String()` with the primitive. Longer text is
/// never compared with a number or boolean (a number's text is at most a few dozen
/// characters; only absurd padding like 5,000 leading zeros would be lost).
const NUMBER_TEXT_CAP: usize = 4096;

/// Arrays compared with a primitive are joined only this deep (see [`JsStringLimits`]).
const EQ_JOIN_DEPTH: usize = 65;

impl Value {
    /// JS `String(value)` appended to `out`: numbers by `Number#toString`, arrays joined with
    /// `,` recursively (`null` elements empty), objects `[object Object]`, `null` → `"null"`.
    /// Stops with an error (leaving the text written so far) at the first bound reached.
    pub fn write_js_string(
        &self,
        out: &mut String,
        limits: JsStringLimits,
    ) -> Result<(), JsStringStop> {
        self.write_js_string_at(out, limits, 0)
    }

    fn write_js_string_at(
        &self,
        out: &mut String,
        limits: JsStringLimits,
        depth: usize,
    ) -> Result<(), JsStringStop> {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => write_number(out, *n),
            Value::String(s) => out.push_str(s),
            // An own `toString` shadows `Object.prototype.toString`, and JSON can only make
            // it a non-function: `String(o)` and `'' + o` then throw in JavaScript.
            Value::Object(o) if o.get("toString").is_some() => {
                return Err(JsStringStop::NoPrimitive)
            }
            Value::Object(_) => out.push_str("[object Object]"),
            Value::Array(items) => {
                if depth >= limits.max_depth {
                    return Err(JsStringStop::Depth);
                }
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !item.is_null() {
                        item.write_js_string_at(out, limits, depth + 1)?;
                    }
                    if out.len() > limits.max_len {
                        return Err(JsStringStop::Length);
                    }
                }
            }
        }
        Ok(())
    }

    /// JS `String(value)` ([`Value::write_js_string`] without a length bound). JSON data has
    /// no cycles, but arrays nested more than 512 levels deep end the text where they start,
    /// so that pathological nesting cannot exhaust the stack.
    pub fn to_js_string(&self) -> String {
        let mut out = String::new();
        let limits = JsStringLimits {
            max_depth: MAX_JOIN_DEPTH + 1,
            max_len: usize::MAX,
        };
        // Stopping at the depth bound keeps the text written so far: that is the result.
        let _ = self.write_js_string(&mut out, limits);
        out
    }

    /// JS loose equality (`==`) between JSON values: identity for arrays and objects, the
    /// abstract equality rules (with `ToPrimitive` on arrays/objects) otherwise.
    ///
    /// An array compared with a primitive is joined only as far as the result can matter (a
    /// string can only equal text of its own length), so comparing big arrays again and again
    /// does not re-join them; arrays nested more than 64 levels deep, or joined text longer
    /// than 4 KiB compared with a number or boolean, are not equal.
    pub fn loose_eq(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Null, _) | (_, Null) => false,
            (Array(a), Array(b)) => Rc::ptr_eq(a, b),
            (Object(a), Object(b)) => Rc::ptr_eq(a, b),
            (Array(_) | Object(_), Array(_) | Object(_)) => false,
            (Object(_), prim) | (prim, Object(_)) => text_loose_eq("[object Object]", prim),
            (array @ Array(_), prim) | (prim, array @ Array(_)) => array_loose_eq(array, prim),
            (String(a), String(b)) => a == b,
            (Number(a), Number(b)) => a == b,
            (Bool(a), Bool(b)) => a == b,
            (Bool(b), x) | (x, Bool(b)) => Number(if *b { 1.0 } else { 0.0 }).loose_eq(x),
            (Number(n), String(s)) | (String(s), Number(n)) => string_to_number(s) == *n,
        }
    }
}

/// JS `a == b` where `None` is `undefined` (`undefined == null`, and nothing else).
pub fn loose_eq(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (None, None) | (None, Some(Value::Null)) | (Some(Value::Null), None) => true,
        (Some(x), Some(y)) => x.loose_eq(y),
        _ => false,
    }
}

/// `text == prim` for a string, number or boolean `prim`.
fn text_loose_eq(text: &str, prim: &Value) -> bool {
    match prim {
        Value::String(s) => **s == *text,
        Value::Number(n) => string_to_number(text) == *n,
        Value::Bool(b) => string_to_number(text) == f64::from(u8::from(*b)),
        _ => false,
    }
}

/// `array == prim`: the array's `String()`, built only as long as it could still be equal.
fn array_loose_eq(array: &Value, prim: &Value) -> bool {
    let cap = match prim {
        Value::String(s) => s.len(),
        _ => NUMBER_TEXT_CAP,
    };
    let limits = JsStringLimits {
        max_depth: EQ_JOIN_DEPTH,
        max_len: cap,
    };
    let mut text = String::new();
    array.write_js_string(&mut text, limits).is_ok() && text_loose_eq(&text, prim)
}

/// JS `Number(string)` for the cases loose equality needs (decimal, hex/octal/binary literals,
/// `Infinity`, surrounding whitespace, empty string → 0).
pub(crate) fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.is_empty() {
        return 0.0;
    }
    let radix = |p: &str, r: u32| -> Option<f64> {
        let digits = t.get(2..)?;
        if t.get(..2)?.eq_ignore_ascii_case(p) && !digits.is_empty() {
            u128::from_str_radix(digits, r).ok().map(|v| v as f64)
        } else {
            None
        }
    };
    if let Some(v) = radix("0x", 16)
        .or_else(|| radix("0o", 8))
        .or_else(|| radix("0b", 2))
    {
        return v;
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    // Decimal text (`1`, `-.5`, `1.e3`, `+2E-7`): anything else is NaN.
    super::parse_f64(t).unwrap_or(f64::NAN)
}
