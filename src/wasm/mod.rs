//! The `#[wasm_bindgen]` layer: thin adapters from JS values to the core, one file per domain.
//!
//! Conventions (the JS files in `js/src` rely on them):
//! - Errors are thrown as a JS `Error` with a string `code` property and, where a domain has
//!   structured details (spans, issues), a `detail` property holding a JSON string. The JS layer
//!   turns them into `CalhookError`.
//! - Structured inputs and outputs cross the boundary as JSON text: JS `JSON.stringify`s data
//!   and `JSON.parse`s results, which keeps this layer free of serde and exactly as JS sees it.
//! - Bodies arrive either as `&str` (hashed as UTF-8) or `&[u8]` (hashed as given).
//! - The tool exports (scripts/wasm-split.mjs's `TOOL_EXPORTS`) are exported only with the
//!   cargo feature `tools` (default): the hot core `calhook_bg.wasm` is linked without it.

// Without `tools` the tool exports are plain functions nothing calls.
#![cfg_attr(not(feature = "tools"), allow(dead_code))]

mod alloc;
mod event;
mod heap;
mod input;
mod signature;
mod template;
mod url;

use wasm_bindgen::prelude::*;

/// A JS `Error` carrying a stable `code`.
pub(crate) fn js_error(code: &str, message: &str) -> JsValue {
    js_error_with_detail(code, message, None)
}

/// A JS `Error` carrying a stable `code` and a JSON `detail` string for structured fields.
pub(crate) fn js_error_with_detail(code: &str, message: &str, detail: Option<&str>) -> JsValue {
    let err = js_sys::Error::new(message);
    // Setting plain data properties on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    if let Some(detail) = detail {
        let _ = js_sys::Reflect::set(
            &err,
            &JsValue::from_str("detail"),
            &JsValue::from_str(detail),
        );
    }
    err.into()
}
