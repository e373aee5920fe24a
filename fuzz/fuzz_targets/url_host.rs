//! URL reading and host classification: the WHATWG reader (the `url` crate, feature `url`),
//! the conservative reader native builds use without it, and `classify_host` on what they give.
//!
//! Input: the URL text (invalid UTF-8 replaced).
//!
//! Invariants:
//! - the conservative reader is a subset of WHATWG: whatever it reads with an `http`/`https`
//!   scheme, the WHATWG reader reads too, with the same scheme and credentials flag, and the
//!   two hosts get the same verdict (public or not) — so no spelling means one thing to the
//!   check and another to `fetch`;
//! - WHATWG host serialization is a fixed point: `http://<host>/` reads back to the same host
//!   with the same verdict;
//! - a serialized IPv4 or `[IPv6]` host is classified exactly as its address is, and every
//!   non-public verdict names a rule;
//! - `shown_url` never shows what comes before an `@` and stays within 80 characters after it.
#![no_main]

use calhook::webhook::host::{
    classify_host, classify_ipv4, classify_ipv6, read_url_conservative, read_url_whatwg, shown_url,
    HostClass,
};
use libfuzzer_sys::fuzz_target;
use std::net::{Ipv4Addr, Ipv6Addr};

fn check_class(host: &str) -> HostClass {
    let class = classify_host(host);
    if let HostClass::Special(why) = class {
        assert!(!why.is_empty(), "unnamed rule for {host:?}");
    }
    if let Ok(v4) = host.parse::<Ipv4Addr>() {
        assert_eq!(class, classify_ipv4(v4), "{host:?}");
    }
    if let Some(v6) = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .and_then(|h| h.parse::<Ipv6Addr>().ok())
    {
        assert_eq!(class, classify_ipv6(v6), "{host:?}");
    }
    class
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let url = text.as_ref();
    let _ = classify_host(url);

    let shown = shown_url(url);
    match url.rfind('@') {
        Some(at) => {
            let rest = shown
                .strip_prefix("(userinfo removed)@")
                .unwrap_or_else(|| panic!("userinfo shown: {shown:?}"));
            assert!(url[at + 1..].starts_with(rest) && rest.chars().count() <= 80);
        }
        None => assert!(url.starts_with(&shown) && shown.chars().count() <= 80),
    }

    let whatwg = read_url_whatwg(url);
    if let Some(w) = &whatwg {
        assert!(!w.host.is_empty());
        let class = check_class(&w.host);
        if matches!(w.scheme.as_str(), "http" | "https") {
            let again = read_url_whatwg(&format!("http://{}/", w.host))
                .unwrap_or_else(|| panic!("host {:?} of {url:?} does not read back", w.host));
            assert_eq!(
                again.host, w.host,
                "host serialization is not a fixed point"
            );
            assert_eq!(check_class(&again.host), class);
        }
    }

    if let Some(c) = read_url_conservative(url) {
        let _ = check_class(&c.host);
        if !matches!(c.scheme.as_str(), "http" | "https") {
            return;
        }
        // Where WHATWG refuses the URL, `fetch` refuses it too: nothing is sent anywhere.
        let Some(w) = whatwg else { return };
        assert_eq!(c.scheme, w.scheme, "{url:?}");
        assert_eq!(c.has_credentials, w.has_credentials, "{url:?}");
        assert_eq!(
            classify_host(&c.host).is_special(),
            classify_host(&w.host).is_special(),
            "{url:?}: conservative host {:?} and WHATWG host {:?} get different verdicts",
            c.host,
            w.host
        );
    }
});
