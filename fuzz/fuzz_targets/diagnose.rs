//! Signature diagnosis (`signature::diagnose`) on a body the receiver got wrong in a known way.
//!
//! Input: one flag byte, then the body as the sender signed it. The low three bits pick the
//! receiver's mistake, applied before `diagnose` sees the body or the secret:
//! 0 none, 1 a trailing newline added (to a body not ending in CR or LF), 2 the trailing newline removed, 3 LF turned into CRLF,
//! 4 the JSON pretty-printed, 5 whitespace around the secret, 6 the secret quoted,
//! 7 the UTF-8 bytes read as latin1 and re-encoded.
//!
//! Invariants:
//! - no mistake ⇒ no cause; any real change ⇒ at least one cause, and the cause that names
//!   the mistake among them (when the mistake changed anything);
//! - causes are distinct, each with its code's message;
//! - diagnosis is deterministic and never panics, whatever the body (deep JSON included).
#![no_main]

use calhook::json;
use calhook::signature::{diagnose, sign, CauseCode};
use libfuzzer_sys::fuzz_target;

const SECRET: &[u8] = b"whsec_diagnose-fuzz";

/// What the receiver hashed and with which secret, and the cause expected to be named.
fn mistake(flags: u8, body: &[u8]) -> Option<(Vec<u8>, Vec<u8>, CauseCode)> {
    let secret = SECRET.to_vec();
    Some(match flags & 7 {
        1 if !body.ends_with(b"\n") && !body.ends_with(b"\r") => (
            [body, b"\n"].concat(),
            secret,
            CauseCode::TrailingNewlineAdded,
        ),
        2 => (
            body.strip_suffix(b"\n")?.to_vec(),
            secret,
            CauseCode::TrailingNewlineRemoved,
        ),
        3 if body.contains(&b'\n') && !body.contains(&b'\r') => {
            let crlf = body
                .iter()
                .flat_map(|&b| {
                    if b == b'\n' {
                        vec![b'\r', b'\n']
                    } else {
                        vec![b]
                    }
                })
                .collect();
            (crlf, secret, CauseCode::LineEndingsChanged)
        }
        4 => {
            let value = json::parse_bytes(body).ok()?;
            if json::stringify(&value).as_bytes() != body {
                return None;
            }
            let pretty = json::stringify_pretty(&value, "  ").into_bytes();
            if pretty == body {
                return None;
            }
            (pretty, secret, CauseCode::BodyPrettyPrinted)
        }
        5 => (
            body.to_vec(),
            [b" ", SECRET, b"\n"].concat(),
            CauseCode::SecretWhitespace,
        ),
        6 => (
            body.to_vec(),
            [b"\"", SECRET, b"\""].concat(),
            CauseCode::SecretQuoted,
        ),
        7 => {
            let text = std::str::from_utf8(body).ok()?;
            if text.is_ascii() {
                return None;
            }
            let latin1: String = body.iter().map(|&b| char::from(b)).collect();
            (latin1.into_bytes(), secret, CauseCode::BodyReencoded)
        }
        _ => return None,
    })
}

fuzz_target!(|input: &[u8]| {
    let Some((&flags, body)) = input.split_first() else {
        return;
    };
    let header = sign(body, Some(SECRET));
    assert!(
        diagnose(body, Some(&header), SECRET).is_empty(),
        "a match was diagnosed"
    );

    let Some((received, secret, expected)) = mistake(flags, body) else {
        // Any body against a header for another body: causes, never a panic.
        let causes = diagnose(body, Some(&sign(b"other", Some(SECRET))), SECRET);
        assert_eq!(causes.is_empty(), body == b"other");
        return;
    };
    let causes = diagnose(&received, Some(&header), &secret);
    assert_eq!(
        causes,
        diagnose(&received, Some(&header), &secret),
        "not deterministic"
    );
    let codes: Vec<CauseCode> = causes.iter().map(|c| c.code).collect();
    assert!(
        codes.contains(&expected),
        "mistake {expected:?} not named: {codes:?} for {:?}",
        String::from_utf8_lossy(body)
    );
    for (i, c) in causes.iter().enumerate() {
        assert_eq!(c.message, c.code.message());
        assert!(
            !codes[..i].contains(&c.code),
            "duplicate cause {:?}",
            c.code
        );
    }
});
