//! JSON exactly as JavaScript sees it.
//!
//! Cal.com's sender runs `JSON.stringify(JSON.parse(rendered))` on template output, and webhook
//! bodies are produced by `JSON.stringify`. Reproducing those bytes needs JS semantics: IEEE
//! doubles printed by `Number#toString`, object keys ordered with array-index keys first,
//! duplicate keys keeping their first position and last value. [`Value`] models that, with
//! shared (`Rc`) arrays and objects so that identity comparisons (Handlebars' context stack
//! uses JS loose equality) are possible.

mod value;

pub use value::{format_number, is_array_index, Object, Value};
