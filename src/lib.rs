//! # calhook
//!
//! Everything a receiver needs to take Cal.com / Cal.diy webhooks safely:
//!
//! - [`signature`]: produce and verify `X-Cal-Signature-256` (hex HMAC-SHA256 of the raw body),
//!   in constant time, and explain why a signature fails.
//! - [`json`]: a JSON model and parser/serializer that behave exactly like JavaScript's
//!   `JSON.parse` / `JSON.stringify` (number formatting, key order), which the sender relies on.
//! - [`template`]: a Handlebars 4.7 engine for custom payload templates (no Cal.com knowledge).
//! - [`lint`]: the payload-template linter (Cal.com's data layout and sender rules), with fixes.
//! - [`delivery`]: emulate a whole delivery (body, content type, headers) byte for byte.
//! - [`event`]: every trigger and payload shape, described once as data; parsing and validation.
//! - [`span`]: the one source-location type ([`span::Span`]) and line/column mapping.
//! - [`time`]: calendar arithmetic, RFC 3339 date-times and database-free UTC offsets.
//! - [`webhook`]: validation of webhook create/update requests and the management endpoints.
//!
//! The core is plain Rust. The `#[wasm_bindgen]` layer lives in `src/wasm` and is compiled only
//! for `wasm32`; the npm package `calhook` is built from it.

// No `unsafe` anywhere but in the wasm build's allocator (src/wasm/heap.rs and alloc.rs, which
// allow it for themselves and document every invariant); tests/architecture.rs checks it.
#![deny(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "full")]
pub mod delivery;
#[cfg(feature = "full")]
pub mod event;
#[cfg(feature = "full")]
pub mod json;
#[cfg(feature = "full")]
pub mod lint;
pub mod signature;
#[cfg(feature = "full")]
pub mod span;
#[cfg(feature = "full")]
pub mod template;
#[cfg(feature = "full")]
pub mod time;
#[cfg(feature = "full")]
pub mod webhook;

#[cfg(all(target_arch = "wasm32", feature = "full"))]
mod wasm;

// The wasm build's heap (src/wasm/heap.rs) is plain Rust over a page source: its unit tests run
// natively, over a simulated memory.
#[cfg(all(test, feature = "full", not(target_arch = "wasm32")))]
#[path = "wasm/heap.rs"]
mod wasm_heap;

pub use signature::{check, sign, verify, Check, CheckCode, SignatureError, Verifier};
