//! `X-Cal-Signature-256`: lowercase hex HMAC-SHA256 of the raw body, keyed with the webhook
//! secret as UTF-8.
//!
//! Cal.com signs the exact bytes it sends and sends the bare hex digest; the API reference shows
//! a `sha256=` prefix. Verification accepts both, in either case, with surrounding whitespace
//! trimmed, and compares in constant time. Header content never causes an error: it is reported
//! as a [`CheckCode`]. Only a missing receiver secret is an error ([`SignatureError`]), because a
//! receiver without a secret must fail closed.

#[cfg(feature = "full")]
mod diagnose;
mod header;
pub mod sha256;

#[cfg(feature = "full")]
pub use diagnose::{diagnose, Cause, CauseCode, DIAGNOSE_MAX_BYTES};
pub use header::{parse_header, ParsedHeader};

pub use sha256::hmac_sha256;
use std::fmt;
use subtle::ConstantTimeEq;

/// The header Cal.com puts the signature in.
pub const HEADER_NAME: &str = "X-Cal-Signature-256";

/// The literal header value Cal.com sends when the webhook has no secret configured.
pub const NO_SECRET_PROVIDED: &str = "no-secret-provided";

/// Why a receiver cannot verify at all. Header and body content never produce this error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureError {
    /// The receiver's own secret is missing or empty: verification fails closed.
    NoReceiverSecret,
}

impl SignatureError {
    /// What kind of failure this is: the error is its own code (it carries no details).
    pub fn code(&self) -> SignatureError {
        *self
    }

    /// The stable code string: `NO_RECEIVER_SECRET`.
    pub fn as_str(&self) -> &'static str {
        match self {
            SignatureError::NoReceiverSecret => "NO_RECEIVER_SECRET",
        }
    }
}

impl SignatureError {
    /// What happened and what to do; the same text as `Display` (no formatting machinery, so
    /// the slim wasm stays small).
    pub fn message(&self) -> &'static str {
        match self {
            SignatureError::NoReceiverSecret => {
                "No webhook secret is configured on the receiver (missing or empty). \
                 Set it to the secret of the webhook in Cal.com; calhook refuses to verify without one."
            }
        }
    }
}

impl PartialEq<&str> for SignatureError {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for SignatureError {}

/// The outcome of checking a signature header against a body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckCode {
    /// The header matches the body under one of the secrets.
    Ok,
    /// No header, or only whitespace.
    MissingHeader,
    /// The header is `no-secret-provided`: the webhook has no secret in Cal.com.
    NoSecretConfigured,
    /// The header is not 64 hex digits after an optional `sha256=` prefix.
    MalformedHeader,
    /// A well-formed header that matches none of the secrets.
    Mismatch,
}

impl CheckCode {
    /// Every code, for lookups by name.
    pub const ALL: [CheckCode; 5] = [
        CheckCode::Ok,
        CheckCode::MissingHeader,
        CheckCode::NoSecretConfigured,
        CheckCode::MalformedHeader,
        CheckCode::Mismatch,
    ];

    /// Stable machine-readable code.
    pub fn as_str(&self) -> &'static str {
        match self {
            CheckCode::Ok => "OK",
            CheckCode::MissingHeader => "MISSING_HEADER",
            CheckCode::NoSecretConfigured => "NO_SECRET_CONFIGURED",
            CheckCode::MalformedHeader => "MALFORMED_HEADER",
            CheckCode::Mismatch => "MISMATCH",
        }
    }

    /// A sentence that says what happened and what to do about it.
    pub fn message(&self) -> &'static str {
        match self {
            CheckCode::Ok => "The signature matches the body.",
            CheckCode::MissingHeader => {
                "The X-Cal-Signature-256 header is missing or empty. Read it from the request \
                 headers (names are case-insensitive) and make sure a proxy does not strip it."
            }
            CheckCode::NoSecretConfigured => {
                "The header is \"no-secret-provided\": this webhook has no secret in Cal.com, so \
                 the request is unsigned. Set a secret on the webhook in Cal.com and configure the \
                 same secret here."
            }
            CheckCode::MalformedHeader => {
                "The header is not a Cal.com signature: expected 64 hex digits, optionally \
                 prefixed with \"sha256=\". Check that you passed the X-Cal-Signature-256 header \
                 and not another one."
            }
            CheckCode::Mismatch => {
                "The signature does not match the body. Hash the raw request bytes exactly as \
                 received (before any JSON parsing) with the webhook's secret. To find the \
                 likely cause, run diagnose() on a request you captured while setting up; do \
                 not run it on every failed request in production, where anyone can send one."
            }
        }
    }
}

/// The result of [`check`] / [`Verifier::check`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Check {
    /// What happened.
    pub code: CheckCode,
    /// With several secrets (rotation): the index of the one that matched.
    pub secret_index: Option<usize>,
}

impl Check {
    /// True when the signature matched.
    pub fn ok(&self) -> bool {
        self.code == CheckCode::Ok
    }
}

/// The exact header value Cal.com sends for `body`: lowercase hex HMAC-SHA256, or
/// `no-secret-provided` when the secret is `None` or empty.
///
/// ```
/// let h = calhook::sign(b"{}", Some(b"s3cret"));
/// assert_eq!(h.len(), 64);
/// assert_eq!(calhook::sign(b"{}", None), "no-secret-provided");
/// ```
pub fn sign(body: &[u8], secret: Option<&[u8]>) -> String {
    match secret {
        Some(key) if !key.is_empty() => hex_lower(&hmac_sha256(key, body)),
        _ => NO_SECRET_PROVIDED.to_string(),
    }
}

/// Lowercase hex of `bytes`, as `hex::encode` writes it: from a table of digits rather than
/// through a `char` iterator, which was a generic `String: FromIterator<char>` in the wasm.
pub(crate) fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Verify `header` against `body` with one secret. See [`Verifier::verify`].
pub fn verify(body: &[u8], header: Option<&str>, secret: &[u8]) -> Result<bool, SignatureError> {
    Ok(Verifier::new(&[secret])?.verify(body, header))
}

/// Check `header` against `body` with one or more secrets. See [`Verifier::check`].
pub fn check<S: AsRef<[u8]>>(
    body: &[u8],
    header: Option<&str>,
    secrets: &[S],
) -> Result<Check, SignatureError> {
    Ok(Verifier::new(secrets)?.check(body, header))
}

/// Verifies signatures with one or more secrets (rotation). The HMAC key schedule is computed
/// once, so hot paths pay only for hashing the body.
#[derive(Clone)]
pub struct Verifier {
    keys: Vec<sha256::Key>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print key material.
        f.debug_struct("Verifier")
            .field("secrets", &self.keys.len())
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// A verifier for the given secrets. Fails closed when there is no secret or any is empty.
    pub fn new<S: AsRef<[u8]>>(secrets: &[S]) -> Result<Verifier, SignatureError> {
        if secrets.is_empty() || secrets.iter().any(|s| s.as_ref().is_empty()) {
            return Err(SignatureError::NoReceiverSecret);
        }
        Ok(Verifier {
            keys: secrets
                .iter()
                .map(|s| sha256::Key::new(s.as_ref()))
                .collect(),
        })
    }

    /// True when `header` is a valid signature of `body` under one of the secrets.
    pub fn verify(&self, body: &[u8], header: Option<&str>) -> bool {
        self.check(body, header).ok()
    }

    /// Check `header` against `body`; never fails on header or body content.
    pub fn check(&self, body: &[u8], header: Option<&str>) -> Check {
        check_against(header, self.keys.iter().map(|key| key.mac(body)))
    }

    /// The signature header value for `body` under the first secret.
    pub fn sign(&self, body: &[u8]) -> String {
        hex_lower(&self.keys[0].mac(body))
    }
}

/// Check `header` against digests computed elsewhere (one per secret, in order): for hosts
/// with a native HMAC, which hash large bodies faster than wasm. Header parsing, the codes and
/// the constant-time comparison stay here.
pub fn check_digests(header: Option<&str>, digests: &[[u8; 32]]) -> Check {
    check_against(header, digests.iter().copied())
}

/// The shared core of every check: parse the header, then compare it in constant time with
/// each secret's digest (computed lazily, only for a well-formed header).
fn check_against(header: Option<&str>, digests: impl Iterator<Item = [u8; 32]>) -> Check {
    let expected = match parse_header(header) {
        ParsedHeader::Digest(digest) => digest,
        other => {
            return Check {
                code: other.check_code(),
                secret_index: None,
            }
        }
    };
    let mut digests = digests;
    let secret_index = digests.position(|actual| bool::from(actual.ct_eq(&expected)));
    Check {
        code: if secret_index.is_some() {
            CheckCode::Ok
        } else {
            CheckCode::Mismatch
        },
        secret_index,
    }
}

#[cfg(test)]
mod tests;
