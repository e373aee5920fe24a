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
    let hex = strip_prefix_ignore_case(value, "sha256=").unwrap_or(value);
    match decode_hex32(hex) {
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

fn decode_hex32(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        out[i] = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
    }
    Some(out)
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}
