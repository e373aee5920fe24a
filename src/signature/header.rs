//! Parsing of the `X-Cal-Signature-256` header value.

use super::{CheckCode, NO_SECRET_PROVIDED};

/// What a header value holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParsedHeader {
    /// Absent, or only whitespace.
    Missing,
    /// The literal `no-secret-provided`.
    NoSecret,
    /// Not 64 hex digits after an optional `sha256=` prefix.
    Malformed,
    /// A 32-byte digest.
    Digest([u8; 32]),
}

impl ParsedHeader {
    /// The check code for a header that is not a digest.
    pub fn check_code(&self) -> CheckCode {
        match self {
            ParsedHeader::Missing => CheckCode::MissingHeader,
            ParsedHeader::NoSecret => CheckCode::NoSecretConfigured,
            ParsedHeader::Malformed => CheckCode::MalformedHeader,
            ParsedHeader::Digest(_) => CheckCode::Ok,
        }
    }
}

/// Parse a header value: bare hex (what Cal.com sends) or `sha256=`-prefixed hex (what the
/// reference shows), either case, surrounding whitespace trimmed.
pub fn parse_header(header: Option<&str>) -> ParsedHeader {
    let value = match header.map(str::trim) {
        None | Some("") => return ParsedHeader::Missing,
        Some(v) => v,
    };
    if value.eq_ignore_ascii_case(NO_SECRET_PROVIDED) {
        return ParsedHeader::NoSecret;
    }
    let digits = strip_prefix_ignore_case(value, "sha256=").unwrap_or(value);
    match decode_hex32(digits) {
        Some(digest) => ParsedHeader::Digest(digest),
        None => ParsedHeader::Malformed,
    }
}

fn strip_prefix_ignore_case<'a>(value: &'a str, prefix: &str) -> Option<&'a str> {
    let head = value.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        value.get(prefix.len()..)
    } else {
        None
    }
}

/// 64 hex digits (either case) as 32 bytes.
fn decode_hex32(digits: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(digits, &mut out).ok()?;
    Some(out)
}
