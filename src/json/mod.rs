//! JSON exactly as JavaScript sees it.
//!
//! Cal.com's sender runs `JSON.stringify(JSON.parse(rendered))` on template output, and webhook
//! bodies are produced by `JSON.stringify`. Reproducing those bytes needs JS semantics: IEEE
//! doubles printed by `Number#toString`, object keys ordered with array-index keys first,
//! duplicate keys keeping their first position and last value. [`Value`] models that, with
//! shared (`Rc`) arrays and objects so that identity comparisons (Handlebars' context stack
//! uses JS loose equality) are possible.
//!
//! - [`parse`] / [`parse_bytes`] / [`parse_with`]: `JSON.parse`, with depth and size limits
//!   ([`ParseOptions`]) and optional duplicate-key reporting.
//! - [`stringify()`] / [`stringify_pretty`]: `JSON.stringify(v)` / `JSON.stringify(v, null, indent)`.
//! - [`Value::to_js_string`] / [`Value::write_js_string`] / [`Value::loose_eq`] / [`loose_eq`]:
//!   JavaScript's `String(v)` and `==`, the one implementation everything shares.
//! - [`RunMap`]: a map iterated in key order (array-index keys, projection children).
//! - [`JsonError`] with stable codes `JSON_SYNTAX`, `JSON_DEPTH`, `JSON_SIZE`, `JSON_UTF8`.

mod error;
mod js;
mod number;
mod parse;
mod runs;
mod stringify;
pub(crate) mod tape;
mod value;
mod words;

pub use error::{utf16_position, JsonError, JsonErrorCode};
pub use js::{loose_eq, JsStringLimits, JsStringStop};
pub(crate) use number::parse_f64;
pub(crate) use parse::skip_plain;
pub use parse::{
    parse, parse_bytes, parse_bytes_with, parse_with, DuplicateKey, ParseOptions, Parsed,
    DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH,
};
pub(crate) use runs::sort_pairs;
pub use runs::{Entry, Iter, RunMap};
pub use stringify::{stringify, stringify_pretty, write_json, write_string};

/// Xorshift64 from `seed` (non-zero): the deterministic stream of the crate's randomised unit
/// tests, so a failure reproduces from its seed.
#[cfg(test)]
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
pub(crate) use value::array_index;
pub(crate) use value::decimal_digits;
pub use value::{format_number, is_array_index, write_number, Object, Value};
pub use words::{Words, NODE_BYTES};

#[cfg(test)]
mod tests;
