//! The runtime's WHATWG `URL`, as the [`crate::webhook::host::ReadUrl`] of the wasm build: URLs
//! are read exactly as the `fetch` of the same runtime will read them.

use crate::webhook::UrlParts;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The global `URL` class.
    #[wasm_bindgen(js_name = URL)]
    type JsUrl;

    #[wasm_bindgen(catch, constructor, js_class = URL)]
    fn new(url: &str) -> Result<JsUrl, JsValue>;

    #[wasm_bindgen(method, getter, js_class = URL)]
    fn protocol(this: &JsUrl) -> String;

    #[wasm_bindgen(method, getter, js_class = URL)]
    fn hostname(this: &JsUrl) -> String;

    #[wasm_bindgen(method, getter, js_class = URL)]
    fn username(this: &JsUrl) -> String;

    #[wasm_bindgen(method, getter, js_class = URL)]
    fn password(this: &JsUrl) -> String;

    #[wasm_bindgen(method, getter, js_class = URL)]
    fn href(this: &JsUrl) -> String;
}

/// Read `url` with the runtime's `URL`; `None` when it throws or there is no host.
pub(crate) fn read_url(url: &str) -> Option<UrlParts> {
    let parsed = JsUrl::new(url).ok()?;
    let host = parsed.hostname();
    if host.is_empty() {
        return None;
    }
    let protocol = parsed.protocol();
    Some(UrlParts {
        scheme: protocol.strip_suffix(':').unwrap_or(&protocol).to_string(),
        host,
        has_credentials: !parsed.username().is_empty() || !parsed.password().is_empty(),
        href: parsed.href(),
    })
}
