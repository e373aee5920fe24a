//! Why a signature fails. Every cause reported is found by actually testing it: the body or the
//! secret is transformed the way a common receiver mistake would, and the signature is checked
//! again. Only the header format causes are recognised by shape, since they cannot match.
//!
//! Anyone can send a request with a wrong signature, so the work is bounded: bodies above
//! [`DIAGNOSE_MAX_BYTES`](crate::signature::DIAGNOSE_MAX_BYTES) skip the body mistakes (reported as [`CauseCode::BodyTooLargeToDiagnose`]),
//! variants are built and hashed one at a time, and a pretty-printed variant that would grow
//! past [`MAX_VARIANT_FACTOR`] times the body (deep nesting multiplies indentation) is not
//! built at all.

use super::header::{parse_header, ParsedHeader};
use super::hmac_sha256;
use subtle::ConstantTimeEq;

/// A likely cause of a failed signature check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cause {
    /// Stable machine-readable code.
    pub code: CauseCode,
    /// What went wrong and what to fix.
    pub message: String,
}

/// Stable codes of [`Cause`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CauseCode {
    /// The header is missing.
    MissingHeader,
    /// The webhook has no secret in Cal.com (`no-secret-provided`).
    NoSecretConfigured,
    /// A Stripe-style `t=…,v1=…` header.
    StripeHeader,
    /// A Standard Webhooks `v1,<base64>` header.
    StandardWebhooksHeader,
    /// A GitHub-style `sha1=<hex>` header (X-Hub-Signature).
    GithubSha1Header,
    /// The right HMAC, but base64-encoded instead of hex.
    Base64Digest,
    /// Not a signature at all.
    MalformedHeader,
    /// The body is empty.
    EmptyBody,
    /// The body was parsed and serialized again before hashing.
    BodyReserialized,
    /// The body was pretty-printed before hashing.
    BodyPrettyPrinted,
    /// CRLF and LF line endings were converted.
    LineEndingsChanged,
    /// A trailing newline was added to the body.
    TrailingNewlineAdded,
    /// The body's trailing newline was removed.
    TrailingNewlineRemoved,
    /// The body's bytes were decoded with the wrong character set and re-encoded.
    BodyReencoded,
    /// The secret has surrounding whitespace.
    SecretWhitespace,
    /// The secret is wrapped in quotes.
    SecretQuoted,
    /// Nothing we tried matches: most likely a different secret.
    SecretOrBodyDiffers,
    /// The body is above [`DIAGNOSE_MAX_BYTES`]: body mistakes were not tried.
    BodyTooLargeToDiagnose,
}

/// Largest body whose mistakes (re-serialization, newlines, character set) `diagnose` tries.
/// Larger bodies still get the header and secret checks, which cost one hash each.
pub const DIAGNOSE_MAX_BYTES: usize = 1 << 20;

/// A body variant is built only when it stays under this many times the body's size.
pub const MAX_VARIANT_FACTOR: usize = 4;

impl CauseCode {
    /// The stable code string.
    pub fn as_str(&self) -> &'static str {
        match self {
            CauseCode::MissingHeader => "MISSING_HEADER",
            CauseCode::NoSecretConfigured => "NO_SECRET_CONFIGURED",
            CauseCode::StripeHeader => "STRIPE_HEADER",
            CauseCode::StandardWebhooksHeader => "STANDARD_WEBHOOKS_HEADER",
            CauseCode::GithubSha1Header => "GITHUB_SHA1_HEADER",
            CauseCode::Base64Digest => "BASE64_DIGEST",
            CauseCode::MalformedHeader => "MALFORMED_HEADER",
            CauseCode::EmptyBody => "EMPTY_BODY",
            CauseCode::BodyReserialized => "BODY_RESERIALIZED",
            CauseCode::BodyPrettyPrinted => "BODY_PRETTY_PRINTED",
            CauseCode::LineEndingsChanged => "LINE_ENDINGS_CHANGED",
            CauseCode::TrailingNewlineAdded => "TRAILING_NEWLINE_ADDED",
            CauseCode::TrailingNewlineRemoved => "TRAILING_NEWLINE_REMOVED",
            CauseCode::BodyReencoded => "BODY_REENCODED",
            CauseCode::SecretWhitespace => "SECRET_WHITESPACE",
            CauseCode::SecretQuoted => "SECRET_QUOTED",
            CauseCode::SecretOrBodyDiffers => "SECRET_OR_BODY_DIFFERS",
            CauseCode::BodyTooLargeToDiagnose => "BODY_TOO_LARGE_TO_DIAGNOSE",
        }
    }

    /// What went wrong and what to fix, in one or two sentences.
    pub fn message(&self) -> &'static str {
        match self {
            CauseCode::MissingHeader => "No X-Cal-Signature-256 header was given. Read it from the request headers (case-insensitively) and pass its value.",
            CauseCode::NoSecretConfigured => "The header is \"no-secret-provided\": the webhook has no secret in Cal.com. Set a secret on the webhook in Cal.com, then use the same secret here.",
            CauseCode::StripeHeader => "The header looks like a Stripe signature (t=…,v1=…). Pass the value of X-Cal-Signature-256, not Stripe-Signature.",
            CauseCode::StandardWebhooksHeader => "The header looks like a Standard Webhooks signature (v1,<base64>). Cal.com sends X-Cal-Signature-256 with hex; pass that header's value.",
            CauseCode::GithubSha1Header => "The header looks like GitHub's X-Hub-Signature (sha1=…). Pass the value of X-Cal-Signature-256, which is SHA-256 hex.",
            CauseCode::Base64Digest => "The header holds the right HMAC, but base64-encoded. Cal.com sends lowercase hex: pass the header exactly as received.",
            CauseCode::MalformedHeader => "The header is not 64 hex digits (optionally prefixed with sha256=). Check that you pass the X-Cal-Signature-256 header's value unchanged.",
            CauseCode::EmptyBody => "The body is empty. Read the raw request body before any body parser consumes it (Express: express.raw({ type: '*/*' }); Fetch: await request.arrayBuffer()).",
            CauseCode::BodyReserialized => "The body was re-serialized (for example JSON.stringify(JSON.parse(body)) or a framework's body parser) before hashing. Verify the raw bytes exactly as received.",
            CauseCode::BodyPrettyPrinted => "The body was pretty-printed before hashing; Cal.com signs its compact form. Verify the raw bytes exactly as received.",
            CauseCode::LineEndingsChanged => "Line endings in the body were converted (CRLF/LF). Read the body as binary, without newline translation.",
            CauseCode::TrailingNewlineAdded => "A trailing newline was added to the body before hashing (an editor, a file, or curl --data-binary @file). Hash the body exactly as received.",
            CauseCode::TrailingNewlineRemoved => "The body's trailing newline was removed before hashing (for example by trim()). Hash the body exactly as received.",
            CauseCode::BodyReencoded => "The body's bytes were decoded with the wrong character set (latin1/binary) and re-encoded as UTF-8. Pass the raw bytes (Uint8Array/Buffer) or decode as UTF-8.",
            CauseCode::SecretWhitespace => "The secret has surrounding whitespace (often a trailing newline from an .env file or a secret store). Trim it.",
            CauseCode::SecretQuoted => "The secret is wrapped in quotes (often from an .env file). Remove the quotes.",
            CauseCode::BodyTooLargeToDiagnose => "The body is larger than 1 MiB, so the body mistakes (re-serialization, pretty-printing, line endings, trailing newline, character set) were not tried: each costs a copy and a hash of the body, and anyone can send a bad signature. The header and the secret were checked. Hash the raw bytes exactly as received, and compare the secret with the webhook's secret in Cal.com.",
            CauseCode::SecretOrBodyDiffers => "No common mistake explains the mismatch: most likely the secret differs from the webhook's secret in Cal.com, or the body was changed in transit (a proxy or a body parser). Compare the secret and hash the raw bytes.",
        }
    }
}

/// The likely causes of `header` not matching `body` under `secret`. Empty when it matches.
pub fn diagnose(body: &[u8], header: Option<&str>, secret: &[u8]) -> Vec<Cause> {
    let mut codes = Vec::new();
    match parse_header(header) {
        ParsedHeader::Digest(digest) => {
            if matches(body, secret, &digest) {
                return Vec::new();
            }
            diagnose_digest(body, secret, &digest, &mut codes);
        }
        ParsedHeader::Missing => codes.push(CauseCode::MissingHeader),
        ParsedHeader::NoSecret => codes.push(CauseCode::NoSecretConfigured),
        ParsedHeader::Malformed => {
            codes.push(header_format_cause(header.unwrap_or(""), body, secret))
        }
    }
    if body.is_empty() && !codes.contains(&CauseCode::MissingHeader) {
        codes.push(CauseCode::EmptyBody);
    }
    if codes.is_empty() {
        codes.push(CauseCode::SecretOrBodyDiffers);
    }
    codes
        .into_iter()
        .map(|code| Cause {
            code,
            message: code.message().to_string(),
        })
        .collect()
}

fn matches(body: &[u8], secret: &[u8], digest: &[u8; 32]) -> bool {
    !secret.is_empty() && bool::from(hmac_sha256(secret, body).ct_eq(digest))
}

/// Try each body and secret mistake; record those that reproduce the header.
fn diagnose_digest(body: &[u8], secret: &[u8], digest: &[u8; 32], codes: &mut Vec<CauseCode>) {
    if body.len() > DIAGNOSE_MAX_BYTES {
        codes.push(CauseCode::BodyTooLargeToDiagnose);
    } else {
        for_each_body_variant(body, &mut |code, candidate| {
            if !codes.contains(&code) && matches(candidate, secret, digest) {
                codes.push(code);
            }
        });
    }
    for (code, candidate) in secret_variants(secret) {
        if codes.contains(&code) || !matches(body, &candidate, digest) {
            continue;
        }
        // Quotes are stripped after trimming: when only both fixes together match, both
        // mistakes were made.
        let padded = secret.trim_ascii().len() != secret.len();
        if code == CauseCode::SecretQuoted
            && padded
            && !codes.contains(&CauseCode::SecretWhitespace)
        {
            codes.push(CauseCode::SecretWhitespace);
        }
        codes.push(code);
    }
}

/// Bodies the sender may really have signed, given what the receiver hashed, passed to `f`
/// one at a time (each is dropped before the next is built).
fn for_each_body_variant(body: &[u8], f: &mut dyn FnMut(CauseCode, &[u8])) {
    json_variants(body, f);
    if body.windows(2).any(|w| w == b"\r\n") {
        f(
            CauseCode::LineEndingsChanged,
            &replace(body, b"\r\n", b"\n"),
        );
    }
    if body.contains(&b'\n') {
        f(CauseCode::LineEndingsChanged, &lf_to_crlf(body));
    }
    if let Some(stripped) = body
        .strip_suffix(b"\r\n")
        .or_else(|| body.strip_suffix(b"\n"))
    {
        f(CauseCode::TrailingNewlineAdded, stripped);
    }
    for ending in [&b"\n"[..], b"\r\n"] {
        f(CauseCode::TrailingNewlineRemoved, &[body, ending].concat());
    }
    if let Some(latin1) = as_latin1(body) {
        f(CauseCode::BodyReencoded, &latin1);
    }
}

/// JSON re-serializations: the receiver may have pretty-printed the compact original, or
/// compacted an original that had other whitespace.
fn json_variants(body: &[u8], f: &mut dyn FnMut(CauseCode, &[u8])) {
    let Ok(value) = crate::json::parse_bytes(body) else {
        return;
    };
    let compact = crate::json::stringify(&value);
    // A compact body with only a trailing newline is the trailing-newline mistake, not a
    // re-serialization: leave it to that check so the cause is named precisely.
    if body.trim_ascii_end() != compact.as_bytes() {
        let looks_pretty = body.trim_ascii_end().contains(&b'\n');
        let code = if looks_pretty {
            CauseCode::BodyPrettyPrinted
        } else {
            CauseCode::BodyReserialized
        };
        f(code, compact.as_bytes());
    }
    let budget = body.len().max(64).saturating_mul(MAX_VARIANT_FACTOR);
    let shape = PrettyShape::of(&value);
    for indent in ["  ", "    ", "\t"] {
        if shape.pretty_len(compact.len(), indent.len()) <= budget {
            f(
                CauseCode::BodyReserialized,
                crate::json::stringify_pretty(&value, indent).as_bytes(),
            );
        }
    }
}

/// What pretty-printing adds to a compact serialization: a line break (and indentation) before
/// every element and before the closer of every non-empty container, and a space after every
/// key's colon. Counting them first tells the size of `stringify_pretty` without building it.
#[derive(Debug, Default, PartialEq)]
struct PrettyShape {
    /// Line breaks.
    breaks: usize,
    /// Sum of the depths of the line breaks (indent units written).
    depth_sum: usize,
    /// Object entries (one space each).
    entries: usize,
}

impl PrettyShape {
    /// Walk `value` iteratively (any depth is safe).
    fn of(value: &crate::json::Value) -> PrettyShape {
        use crate::json::Value;
        let mut shape = PrettyShape::default();
        let mut stack: Vec<(&Value, usize)> = vec![(value, 0)];
        while let Some((v, depth)) = stack.pop() {
            let children = match v {
                Value::Array(items) if !items.is_empty() => {
                    stack.extend(items.iter().map(|item| (item, depth + 1)));
                    items.len()
                }
                Value::Object(object) if !object.is_empty() => {
                    shape.entries += object.len();
                    stack.extend(object.iter().map(|(_, item)| (item, depth + 1)));
                    object.len()
                }
                _ => continue,
            };
            // One break per child at depth + 1, one before the closer at `depth`.
            shape.breaks += children + 1;
            shape.depth_sum = shape
                .depth_sum
                .saturating_add(children.saturating_mul(depth + 1))
                .saturating_add(depth);
        }
        shape
    }

    /// `stringify_pretty(value, indent).len()` given `stringify(value).len()`.
    fn pretty_len(&self, compact_len: usize, indent_len: usize) -> usize {
        compact_len
            .saturating_add(self.breaks)
            .saturating_add(self.depth_sum.saturating_mul(indent_len))
            .saturating_add(if indent_len == 0 { 0 } else { self.entries })
    }
}

fn secret_variants(secret: &[u8]) -> Vec<(CauseCode, Vec<u8>)> {
    let mut out = Vec::new();
    let trimmed = secret.trim_ascii();
    if trimmed.len() != secret.len() && !trimmed.is_empty() {
        out.push((CauseCode::SecretWhitespace, trimmed.to_vec()));
    }
    for quote in [b'"', b'\'', b'`'] {
        if trimmed.len() > 2 && trimmed.first() == Some(&quote) && trimmed.last() == Some(&quote) {
            out.push((
                CauseCode::SecretQuoted,
                trimmed[1..trimmed.len() - 1].to_vec(),
            ));
        }
    }
    out
}

/// A malformed header: recognise other providers' formats, and a base64 digest that matches.
fn header_format_cause(header: &str, body: &[u8], secret: &[u8]) -> CauseCode {
    let h = header.trim();
    if h.starts_with("t=") && h.contains(",v1=") {
        return CauseCode::StripeHeader;
    }
    if h.starts_with("v1,") {
        return CauseCode::StandardWebhooksHeader;
    }
    if h.len() == 45 && h.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("sha1=")) {
        return CauseCode::GithubSha1Header;
    }
    let b64 = h.strip_prefix("sha256=").unwrap_or(h);
    if let Some(digest) = decode_base64_32(b64) {
        if matches(body, secret, &digest) {
            return CauseCode::Base64Digest;
        }
    }
    CauseCode::MalformedHeader
}

fn decode_base64_32(s: &str) -> Option<[u8; 32]> {
    let s = s.trim_end_matches('=');
    if s.len() != 43 {
        return None;
    }
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = Vec::with_capacity(33);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
        }
    }
    out.try_into().ok()
}

fn replace(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

fn lf_to_crlf(body: &[u8]) -> Vec<u8> {
    let normalized = replace(body, b"\r\n", b"\n");
    replace(&normalized, b"\n", b"\r\n")
}

/// The body's characters as latin1 bytes, when it is UTF-8 text whose characters all fit in a
/// byte and some are non-ASCII: the signature of a body decoded as latin1 and re-encoded.
fn as_latin1(body: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(body).ok()?;
    if text.is_ascii() {
        return None;
    }
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::PrettyShape;

    #[test]
    fn pretty_len_is_exact() {
        for text in [
            "1",
            "[]",
            "{}",
            "[1,[2,[3,{}]],{\"a\":[],\"b\":{\"c\":[null]}}]",
            "{\"a\":{\"b\":{\"c\":{\"d\":[1,2,3]}}},\"0\":\"x\"}",
        ] {
            let value = crate::json::parse(text).unwrap();
            let compact = crate::json::stringify(&value).len();
            let shape = PrettyShape::of(&value);
            for indent in ["", " ", "  ", "\t", "    "] {
                let real = if indent.is_empty() {
                    compact
                } else {
                    crate::json::stringify_pretty(&value, indent).len()
                };
                let predicted = if indent.is_empty() {
                    compact
                } else {
                    shape.pretty_len(compact, indent.len())
                };
                assert_eq!(predicted, real, "{text} with indent {indent:?}");
            }
        }
    }
}
