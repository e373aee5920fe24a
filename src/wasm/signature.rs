//! Bindings for [`crate::signature`].

use super::js_error;
use crate::signature::{self, Check, SignatureError, Verifier};
use wasm_bindgen::prelude::*;

fn to_js(err: SignatureError) -> JsValue {
    js_error(err.code(), &err.to_string())
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

    /// Check a string body; returns `code` or `code:index`.
    pub fn check_str(&self, body: &str, header: Option<String>) -> String {
        encode_check(self.0.check(body.as_bytes(), header.as_deref()))
    }

    /// Check a byte body; returns `code` or `code:index`.
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

/// The message for a check code.
#[wasm_bindgen]
pub fn check_message(code: &str) -> String {
    use crate::signature::CheckCode::*;
    [
        Ok,
        MissingHeader,
        NoSecretConfigured,
        MalformedHeader,
        Mismatch,
    ]
    .iter()
    .find(|c| c.as_str() == code)
    .map(|c| c.message().to_string())
    .unwrap_or_default()
}
