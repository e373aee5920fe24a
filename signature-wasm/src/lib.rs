//! The wasm behind the npm subpath `calhook/signature`: `X-Cal-Signature-256` only.
//!
//! Header parsing, the reason codes and their messages are the core's (`calhook` without its
//! `full` feature); this crate streams the core's resumable HMAC-SHA256 (`calhook::signature::sha256`) through a
//! plain integer ABI.
//! It uses no wasm-bindgen, no allocator and no formatting, and has no panicking path: the
//! whole module is a few kilobytes, small enough to inline into the JS as base64.
//!
//! # ABI (the JS side is `js/src/slim/wasm.js`)
//! Data crosses through two static windows in linear memory, written and read by JS between
//! calls (no raw pointer is ever dereferenced in Rust; the windows are atomics):
//! - `IO` (`io_ptr`, `io_len` bytes): inputs — header, secret, body chunks — and text outputs.
//! - `AUX` (`aux_ptr`, 128 bytes): `[0..64]` a key's state in or out, `[64..128]` a 64-char hex
//!   MAC out, or a 32-byte host digest in.
//!
//! A MAC is `mac_begin` (key state from `AUX[0..64]`), `update(n)` per whole `IO` chunk (`n` a
//! multiple of 64), then `mac_final(n)` for the rest; the result stays in wasm for
//! `result_matches` or `result_hex`. All calls are synchronous, so one instance serves one
//! request at a time, as JS does.

#![deny(unsafe_code)]
#![warn(missing_docs)]

use calhook::signature::sha256::{Key, Sha256, BLOCK};
use calhook::signature::{parse_header, CheckCode, ParsedHeader, SignatureError};
use calhook::signature::{HEADER_NAME, NO_SECRET_PROVIDED};
use core::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering::Relaxed};
use subtle::ConstantTimeEq;

/// Size of the `IO` window: a multiple of the block size.
const IO_LEN: usize = 64 * 1024;
/// Longest header value parsed (the JS side trims longer ones first; after trimming, a valid
/// header is at most 71 bytes, so anything longer is malformed).
const HEADER_MAX: usize = 1024;

static IO: [AtomicU8; IO_LEN] = [const { AtomicU8::new(0) }; IO_LEN];
static AUX: [AtomicU8; 128] = [const { AtomicU8::new(0) }; 128];
/// The running hash between `*_begin` and `*_final`.
static RUN: [AtomicU32; 8] = [const { AtomicU32::new(0) }; 8];
static RUN_TOTAL: AtomicU64 = AtomicU64::new(0);
/// The key of the MAC in progress.
static KEY: [AtomicU8; 64] = [const { AtomicU8::new(0) }; 64];
/// The last MAC or hash.
static RESULT: [AtomicU8; 32] = [const { AtomicU8::new(0) }; 32];
/// The digest of the last well-formed header.
static EXPECTED: [AtomicU8; 32] = [const { AtomicU8::new(0) }; 32];

fn read<const N: usize>(window: &[AtomicU8]) -> [u8; N] {
    let mut out = [0u8; N];
    for (d, s) in out.iter_mut().zip(window) {
        *d = s.load(Relaxed);
    }
    out
}

fn write(window: &[AtomicU8], bytes: &[u8]) -> usize {
    for (d, s) in window.iter().zip(bytes) {
        d.store(*s, Relaxed);
    }
    bytes.len().min(window.len())
}

fn load_run() -> Sha256 {
    let mut state = [0u32; 8];
    for (d, s) in state.iter_mut().zip(&RUN) {
        *d = s.load(Relaxed);
    }
    Sha256 {
        state,
        total: RUN_TOTAL.load(Relaxed),
    }
}

fn store_run(sha: &Sha256) {
    for (d, s) in RUN.iter().zip(sha.state) {
        d.store(s, Relaxed);
    }
    RUN_TOTAL.store(sha.total, Relaxed);
}

/// Absorb the whole blocks of `IO[..len]` into `sha`; returns the length of the rest.
fn absorb(sha: &mut Sha256, len: usize) -> usize {
    let window = IO.get(..len.min(IO_LEN)).unwrap_or(&[]);
    let mut chunks = window.chunks_exact(BLOCK);
    for chunk in &mut chunks {
        sha.block(&read::<BLOCK>(chunk));
    }
    chunks.remainder().len()
}

/// Finish `sha` over `IO[..len]`.
fn finish(mut sha: Sha256, len: usize) -> [u8; 32] {
    let rest = absorb(&mut sha, len);
    let start = len.min(IO_LEN) - rest;
    let tail: [u8; BLOCK] = read(IO.get(start..).unwrap_or(&[]));
    sha.finish(tail.get(..rest).unwrap_or(&[]))
}

fn set_key(key: Key) {
    write(&AUX, &key.to_bytes());
}

fn key_from(bytes: &[AtomicU8]) -> Key {
    Key::from_bytes(&read::<64>(bytes))
}

fn text(which: u32) -> &'static str {
    let codes = CheckCode::ALL;
    let i = which as usize;
    match i {
        _ if i < codes.len() => codes[i].as_str(),
        _ if i < 2 * codes.len() => codes[i - codes.len()].message(),
        10 => NO_SECRET_PROVIDED,
        11 => SignatureError::NoReceiverSecret.as_str(),
        12 => SignatureError::NoReceiverSecret.message(),
        13 => HEADER_NAME,
        _ => "",
    }
}

/// The exported functions: integers in and out, data through the windows.
#[allow(unsafe_code)] // `#[no_mangle]` only: these are the module's exports. No unsafe block.
mod abi {
    use super::*;

    /// Address of the `IO` window.
    #[no_mangle]
    pub extern "C" fn io_ptr() -> usize {
        IO.as_ptr() as usize
    }

    /// Length of the `IO` window.
    #[no_mangle]
    pub extern "C" fn io_len() -> usize {
        IO_LEN
    }

    /// Address of the `AUX` window.
    #[no_mangle]
    pub extern "C" fn aux_ptr() -> usize {
        AUX.as_ptr() as usize
    }

    /// Writes text `which` into `IO`, returns its UTF-8 length: 0–4 the check codes (in
    /// `CheckCode::ALL` order), 5–9 their messages, 10 `no-secret-provided`, 11 and 12 the
    /// missing-secret error's code and message, 13 the header name.
    #[no_mangle]
    pub extern "C" fn text_into_io(which: u32) -> usize {
        write(&IO, text(which).as_bytes())
    }

    /// The key state of the secret in `IO[..len]` into `AUX[0..64]`.
    #[no_mangle]
    pub extern "C" fn key_set(len: usize) {
        if len <= BLOCK {
            let key: [u8; BLOCK] = read(&IO);
            set_key(Key::from_short(key.get(..len).unwrap_or(&[])));
        } else {
            set_key(Key::from_short(&finish(Sha256::default(), len)));
        }
    }

    /// Start a plain SHA-256 (for a secret longer than `IO`, hashed first as RFC 2104 says).
    #[no_mangle]
    pub extern "C" fn hash_begin() {
        store_run(&Sha256::default());
    }

    /// Finish the plain hash over `IO[..len]`, and make the digest the key (into `AUX[0..64]`).
    #[no_mangle]
    pub extern "C" fn hash_final_to_key(len: usize) {
        set_key(Key::from_short(&finish(load_run(), len)));
    }

    /// Start a MAC under the key state in `AUX[0..64]`.
    #[no_mangle]
    pub extern "C" fn mac_begin() {
        for (d, s) in KEY.iter().zip(&AUX) {
            d.store(s.load(Relaxed), Relaxed);
        }
        store_run(&key_from(&KEY).begin());
    }

    /// Absorb `IO[..len]` (`len` a multiple of 64) into the running hash.
    #[no_mangle]
    pub extern "C" fn update(len: usize) {
        let mut sha = load_run();
        absorb(&mut sha, len - len % BLOCK);
        store_run(&sha);
    }

    /// Finish the MAC over `IO[..len]`; the result stays for `result_matches` / `result_hex`.
    #[no_mangle]
    pub extern "C" fn mac_final(len: usize) {
        let inner = finish(load_run(), len);
        write(&RESULT, &key_from(&KEY).end(&inner));
    }

    /// The last MAC as 64 lowercase hex digits into `AUX[64..128]`.
    #[no_mangle]
    pub extern "C" fn result_hex() {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0u8; 64];
        for (pair, b) in hex.chunks_exact_mut(2).zip(read::<32>(&RESULT)) {
            pair[0] = DIGITS[(b >> 4) as usize];
            pair[1] = DIGITS[(b & 15) as usize];
        }
        write(AUX.get(64..).unwrap_or(&[]), &hex);
    }

    /// Parse the header in `IO[..len]`: returns the index in `CheckCode::ALL` of what it is,
    /// `0` (OK) meaning a well-formed digest, kept for the comparisons.
    #[no_mangle]
    pub extern "C" fn parse(len: usize) -> u32 {
        let parsed = match IO.get(..len) {
            Some(window) if len <= HEADER_MAX => {
                let bytes: [u8; HEADER_MAX] = read(window);
                match bytes.get(..len).map(core::str::from_utf8) {
                    Some(Ok(value)) => parse_header(Some(value)),
                    _ => ParsedHeader::Malformed,
                }
            }
            // Longer than any header after trimming (done by the JS side): malformed.
            _ => ParsedHeader::Malformed,
        };
        if let ParsedHeader::Digest(d) = parsed {
            write(&EXPECTED, &d);
        }
        let code = parsed.check_code();
        CheckCode::ALL.iter().position(|c| *c == code).unwrap_or(0) as u32
    }

    /// 1 when the last MAC equals the parsed header's digest (constant time), else 0.
    #[no_mangle]
    pub extern "C" fn result_matches() -> u32 {
        u32::from(
            read::<32>(&RESULT)
                .ct_eq(&read::<32>(&EXPECTED))
                .unwrap_u8(),
        )
    }

    /// 1 when the host digest in `AUX[64..96]` equals the parsed header's digest (constant
    /// time), else 0: for hosts that hash large bodies natively.
    #[no_mangle]
    pub extern "C" fn digest_matches() -> u32 {
        let digest: [u8; 32] = read(AUX.get(64..).unwrap_or(&[]));
        u32::from(digest.ct_eq(&read::<32>(&EXPECTED)).unwrap_u8())
    }
}

#[cfg(test)]
mod tests {
    use super::abi::*;
    use super::*;

    fn put(bytes: &[u8]) -> usize {
        write(&IO, bytes)
    }

    fn hex_out() -> String {
        result_hex();
        let hex: [u8; 64] = read(AUX.get(64..).unwrap_or(&[]));
        String::from_utf8(hex.to_vec()).expect("ascii hex")
    }

    // Drives the exported functions exactly as js/src/slim/wasm.js does, against the core.
    // One test: the ABI's state is global, and tests run on parallel threads.
    #[test]
    fn abi_matches_the_core() {
        let body: Vec<u8> = (0..(2 * IO_LEN + 1000) as u32)
            .map(|i| (i * 31 + 7) as u8)
            .collect();
        for len in [
            0,
            1,
            63,
            64,
            65,
            IO_LEN - 1,
            IO_LEN,
            IO_LEN + 1,
            2 * IO_LEN + 1000,
        ] {
            for secret in [
                &b"s3cret"[..],
                &[b'k'; 64][..],
                &[b'q'; 65][..],
                &[b'z'; 3000][..],
            ] {
                let message = &body[..len];
                put(secret);
                key_set(secret.len());
                mac_begin();
                let mut chunks = message.chunks(IO_LEN).peekable();
                let mut rest = 0;
                while let Some(chunk) = chunks.next() {
                    let n = put(chunk);
                    if chunks.peek().is_some() {
                        update(n);
                    } else {
                        rest = n;
                    }
                }
                mac_final(rest);
                let expected = calhook::sign(message, Some(secret));
                assert_eq!(hex_out(), expected, "body {len}, secret {}", secret.len());

                // The header parser and the constant-time comparison on the same MAC.
                put(format!("  sha256={}\t", expected.to_uppercase()).as_bytes());
                assert_eq!(parse(expected.len() + 10), 0);
                assert_eq!(result_matches(), 1);
                let mut other = expected.clone().into_bytes();
                other[0] = if other[0] == b'0' { b'1' } else { b'0' };
                put(&other);
                assert_eq!(parse(64), 0);
                assert_eq!(result_matches(), 0);
            }
        }
        // A secret longer than IO: hashed first through hash_begin / update / hash_final.
        let long = vec![b'L'; IO_LEN + 10];
        hash_begin();
        update(put(&long[..IO_LEN]));
        hash_final_to_key(put(&long[IO_LEN..]));
        mac_begin();
        mac_final(put(b"{}"));
        assert_eq!(hex_out(), calhook::sign(b"{}", Some(&long)));
        // Header codes and texts.
        for (header, code) in [("", 1), ("  ", 1), ("no-secret-provided", 2), ("zz", 3)] {
            put(header.as_bytes());
            assert_eq!(parse(header.len()), code, "{header:?}");
        }
        assert_eq!(
            parse(HEADER_MAX + 1),
            3,
            "longer than any header: malformed"
        );
        let n = text_into_io(4);
        assert_eq!(&read::<8>(&IO)[..n], b"MISMATCH");
        // A host digest compared in constant time.
        put(calhook::sign(b"x", Some(b"k")).as_bytes());
        assert_eq!(parse(64), 0);
        write(
            AUX.get(64..).unwrap_or(&[]),
            &calhook::signature::hmac_sha256(b"k", b"x"),
        );
        assert_eq!(digest_matches(), 1);
    }
}
