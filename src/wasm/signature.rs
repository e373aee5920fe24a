//! Bindings for [`crate::signature`].

use super::js_error;
use crate::json::{stringify, Object, Value};
use crate::signature::{self, Check, CheckCode, SignatureError, Verifier};
use wasm_bindgen::prelude::*;

fn to_js(err: SignatureError) -> JsValue {
    js_error(err.as_str(), &err.to_string())
}

/// `sign` for a string body.
#[wasm_bindgen]
pub fn sign_str(body: &str, secret: Option<String>) -> String {
    signature::sign(body.as_bytes(), secret.as_deref().map(str::as_bytes))
}

/// `sign` for a byte body.
#[wasm_bindgen]
pub fn sign_bytes(body: &[u8], secret: Option<String>) -> String {
    signature::sign(body, secret.as_deref().map(str::as_bytes))
}

/// `verify` with one secret, string body.
#[wasm_bindgen]
pub fn verify_str(body: &str, header: Option<String>, secret: &str) -> Result<bool, JsValue> {
    signature::verify(body.as_bytes(), header.as_deref(), secret.as_bytes()).map_err(to_js)
}

/// `verify` with one secret, byte body.
#[wasm_bindgen]
pub fn verify_bytes(body: &[u8], header: Option<String>, secret: &str) -> Result<bool, JsValue> {
    signature::verify(body, header.as_deref(), secret.as_bytes()).map_err(to_js)
}

/// `check` with one or more secrets, string body; returns `CODE` or `CODE:index`.
#[wasm_bindgen]
pub fn check_str(
    body: &str,
    header: Option<String>,
    secrets: Vec<String>,
) -> Result<String, JsValue> {
    signature::check(body.as_bytes(), header.as_deref(), &secrets)
        .map(encode_check)
        .map_err(to_js)
}

/// `check` with one or more secrets, byte body; returns `CODE` or `CODE:index`.
#[wasm_bindgen]
pub fn check_bytes(
    body: &[u8],
    header: Option<String>,
    secrets: Vec<String>,
) -> Result<String, JsValue> {
    signature::check(body, header.as_deref(), &secrets)
        .map(encode_check)
        .map_err(to_js)
}

/// `diagnose` for a byte body (strings are encoded by the JS layer); returns JSON
/// `[{code, message}]`.
#[cfg_attr(feature = "tools", wasm_bindgen)]
pub fn diagnose_bytes(
    body: &[u8],
    header: Option<String>,
    secret: &str,
) -> Result<String, JsValue> {
    if secret.is_empty() {
        return Err(to_js(SignatureError::NoReceiverSecret));
    }
    let causes = signature::diagnose(body, header.as_deref(), secret.as_bytes())
        .into_iter()
        .map(|cause| {
            let mut o = Object::new();
            o.insert("code", Value::string(cause.code.as_str()));
            o.insert("message", Value::string(cause.message));
            Value::object(o)
        })
        .collect();
    Ok(stringify(&Value::array(causes)))
}

/// A verifier holding precomputed HMAC key state.
#[wasm_bindgen]
pub struct WasmVerifier(Verifier);

#[wasm_bindgen]
impl WasmVerifier {
    /// Build from one or more secrets; throws `NO_RECEIVER_SECRET` when any is empty.
    #[wasm_bindgen(constructor)]
    pub fn new(secrets: Vec<String>) -> Result<WasmVerifier, JsValue> {
        Verifier::new(&secrets).map(WasmVerifier).map_err(to_js)
    }

    /// Verify a string body.
    pub fn verify_str(&self, body: &str, header: Option<String>) -> bool {
        self.0.verify(body.as_bytes(), header.as_deref())
    }

    /// Verify a byte body.
    pub fn verify_bytes(&self, body: &[u8], header: Option<String>) -> bool {
        self.0.verify(body, header.as_deref())
    }

    /// Verify what JS wrote into the input buffer ([`super::input`]): the body's `body_len`
    /// bytes, then the header's `header_len` bytes (negative: no header). Each is written
    /// once in place by `TextEncoder.encodeInto` or `set`, where `verify_str` / `verify_bytes`
    /// allocate, copy and free both on every call.
    pub fn verify_input(&self, body_len: usize, header_len: i32) -> bool {
        let header_bytes = usize::try_from(header_len).unwrap_or(0);
        super::input::with_input(body_len.saturating_add(header_bytes), |bytes| {
            let (body, header) = bytes.split_at(body_len.min(bytes.len()));
            if header_len < 0 {
                return self.0.verify(body, None);
            }
            // The header comes from `encodeInto`, so it is UTF-8; anything else cannot match.
            std::str::from_utf8(header).is_ok_and(|h| self.0.verify(body, Some(h)))
        })
    }

    /// Check a string body; returns `CODE` or `CODE:index`.
    pub fn check_str(&self, body: &str, header: Option<String>) -> String {
        encode_check(self.0.check(body.as_bytes(), header.as_deref()))
    }

    /// Check a byte body; returns `CODE` or `CODE:index`.
    pub fn check_bytes(&self, body: &[u8], header: Option<String>) -> String {
        encode_check(self.0.check(body, header.as_deref()))
    }
}

/// `CODE` or `CODE:index`: cheaper across the boundary than an object.
fn encode_check(check: Check) -> String {
    match check.secret_index {
        Some(i) => format!("{}:{}", check.code.as_str(), i),
        None => check.code.as_str().to_string(),
    }
}

/// The message for a check code (empty for an unknown code).
#[wasm_bindgen]
pub fn check_message(code: &str) -> String {
    CheckCode::ALL
        .iter()
        .find(|c| c.as_str() == code)
        .map(|c| c.message().to_string())
        .unwrap_or_default()
}

/// `check` against digests the host computed natively (32 bytes per secret, concatenated);
/// returns `CODE` or `CODE:index`.
#[wasm_bindgen]
pub fn check_digests(header: Option<String>, digests: &[u8]) -> String {
    let digests: Vec<[u8; 32]> = digests
        .chunks_exact(32)
        .filter_map(|chunk| chunk.try_into().ok())
        .collect();
    encode_check(signature::check_digests(header.as_deref(), &digests))
}
