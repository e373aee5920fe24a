//! Signature header parsing, checking and diagnosis on arbitrary header + body.
//!
//! Input: the header (up to the first NUL; invalid UTF-8 replaced), then the body. The secret
//! is fixed, plus a second one taken from the first bytes of the body (may be empty).
//!
//! Invariants:
//! - `parse_header` ignores surrounding whitespace;
//! - `check` is `Ok` exactly when the header parses to the body's HMAC under a secret, and
//!   `verify` agrees; the signature `sign` produces always checks, bare or `sha256=`-prefixed,
//!   in any case;
//! - `diagnose` is empty exactly when the header matches under that secret, and otherwise
//!   gives at least one cause, each with a message;
//! - an empty secret is refused (`NO_RECEIVER_SECRET`), never a panic;
//! - the verifier's `Debug` output does not contain the secret.
#![no_main]

use calhook::signature::{
    self, diagnose, hmac_sha256, parse_header, ParsedHeader, SignatureError, Verifier,
};
use calhook::CheckCode;
use calhook_fuzz::split_nul;
use libfuzzer_sys::fuzz_target;

const SECRET: &[u8] = b"whsec_fuzz-secret-3f9a";

fuzz_target!(|input: &[u8]| {
    let (h, body) = split_nul(input);
    let header = String::from_utf8_lossy(h);
    let header = header.as_ref();
    let second: &[u8] = &body[..body.len().min(8)];

    let parsed = parse_header(Some(header));
    assert_eq!(parsed, parse_header(Some(header.trim())));
    assert_eq!(parsed, parse_header(Some(&format!(" \t{header}\n "))));
    assert_eq!(parse_header(None), ParsedHeader::Missing);

    let v = Verifier::new(&[SECRET]).expect("non-empty secret");
    let check = v.check(body, Some(header));
    let expected = hmac_sha256(SECRET, body);
    let ok = parsed == ParsedHeader::Digest(expected);
    assert_eq!(check.ok(), ok, "{check:?} for {parsed:?}");
    assert_eq!(check.code == CheckCode::Ok, ok);
    assert_eq!(v.verify(body, Some(header)), ok);
    assert!(
        !format!("{v:?}").contains("whsec"),
        "secret in Debug output"
    );

    // Signatures we produce always verify, in every accepted spelling.
    let sig = v.sign(body);
    assert_eq!(sig, signature::sign(body, Some(SECRET)));
    for h in [
        sig.clone(),
        sig.to_uppercase(),
        format!("sha256={sig}"),
        format!("SHA256={}", sig.to_uppercase()),
        format!("  {sig}\r\n"),
    ] {
        assert!(v.verify(body, Some(&h)), "own signature {h:?} rejected");
        assert!(diagnose(body, Some(&h), SECRET).is_empty());
    }

    // Rotation: two secrets, the index says which matched.
    if !second.is_empty() {
        let both = Verifier::new(&[SECRET, second]).expect("non-empty secrets");
        let c = both.check(body, Some(header));
        let ok2 = parsed == ParsedHeader::Digest(hmac_sha256(second, body));
        assert_eq!(c.ok(), ok || ok2);
        if ok {
            assert_eq!(c.secret_index, Some(0));
        } else if ok2 {
            assert_eq!(c.secret_index, Some(1));
        }
        let s2 = signature::sign(body, Some(second));
        let first_matches = hmac_sha256(SECRET, body) == hmac_sha256(second, body);
        let want = if first_matches { 0 } else { 1 };
        assert_eq!(both.check(body, Some(&s2)).secret_index, Some(want));
    }

    // A missing or empty receiver secret fails closed.
    assert_eq!(
        signature::check(body, Some(header), &[b"" as &[u8]]).unwrap_err(),
        SignatureError::NoReceiverSecret
    );
    assert!(signature::check::<&[u8]>(body, Some(header), &[]).is_err());
    assert!(signature::verify(body, Some(header), b"").is_err());

    // Diagnosis, with the fixed secret, the body-derived one and an empty one.
    for secret in [SECRET, second, b""] {
        for hdr in [Some(header), None] {
            let causes = diagnose(body, hdr, secret);
            let matches = !secret.is_empty()
                && parse_header(hdr) == ParsedHeader::Digest(hmac_sha256(secret, body));
            assert_eq!(causes.is_empty(), matches, "{causes:?}");
            for c in &causes {
                assert!(!c.message.is_empty());
                assert!(!c.code.as_str().is_empty());
            }
        }
    }
});
