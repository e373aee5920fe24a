//! SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104): the one implementation of both in calhook,
//! shared by the core (signatures, event keys) and the signature-only wasm (`signature-wasm`),
//! which streams a body across wasm calls and restores a key from its precomputed state.
//!
//! Why not the `hmac` crate and `sha2`'s digest API: they cannot be resumed from a key's saved
//! state, and their generic digest machinery (block buffers, `Mac`/`Digest` traits) was 1.2 KiB
//! gzipped of the main wasm. Only the compression function may come from `sha2` (see
//! [`Sha256::block`]). SHA-256 has no secret-dependent branch or table index, so this is
//! constant-time by construction. Checked against the `sha2` and `hmac` crates in the tests
//! below and against node:crypto in the JS differential tests.

/// SHA-256 round constants (FIPS 180-4, 4.2.2).
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// The SHA-256 compression function on one block, rolled: the signature-only wasm's, where
/// size matters most. The main build (feature `full`) uses the `sha2` crate's fully unrolled
/// one instead: 8 KB of wasm, but a 256-byte verify measured 4–5 % faster with it than with
/// any shorter form tried (16 rounds unrolled four times, or 8 rounds over a precomputed
/// schedule), and verify is a hot path. Compiled in every build, so the tests compare it with
/// `sha2` whatever the features.
#[cfg_attr(all(feature = "full", not(test)), allow(dead_code))]
fn compress(state: &mut [u32; 8], block: &[u8; BLOCK]) {
    let mut w = [0u32; 64];
    for (i, word) in w.iter_mut().take(16).enumerate() {
        let at = |j: usize| block.get(4 * i + j).copied().unwrap_or(0);
        *word = u32::from_be_bytes([at(0), at(1), at(2), at(3)]);
    }
    for i in 16..64 {
        let (w15, w2) = (w[i - 15], w[i - 2]);
        let s0 = w15.rotate_right(7) ^ w15.rotate_right(18) ^ (w15 >> 3);
        let s1 = w2.rotate_right(17) ^ w2.rotate_right(19) ^ (w2 >> 10);
        w[i] = w[i - 16]
            .wrapping_add(s0)
            .wrapping_add(w[i - 7])
            .wrapping_add(s1);
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    for (k, wi) in K.iter().zip(w) {
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let ch = (e & f) ^ (!e & g);
        let t1 = h
            .wrapping_add(s1)
            .wrapping_add(ch)
            .wrapping_add(*k)
            .wrapping_add(wi);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let maj = (a & b) ^ (a & c) ^ (b & c);
        let t2 = s0.wrapping_add(maj);
        h = g;
        g = f;
        f = e;
        e = d.wrapping_add(t1);
        d = c;
        c = b;
        b = a;
        a = t1.wrapping_add(t2);
    }
    for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *s = s.wrapping_add(v);
    }
}

/// SHA-256 block size in bytes (also the HMAC key block size).
pub const BLOCK: usize = 64;

/// SHA-256's initial state (FIPS 180-4, 5.3.3).
const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// A running SHA-256: the chaining state and the number of bytes absorbed so far (always a
/// whole number of blocks; the final partial block is handled by [`Sha256::finish`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sha256 {
    /// Chaining state.
    pub state: [u32; 8],
    /// Bytes absorbed.
    pub total: u64,
}

impl Default for Sha256 {
    fn default() -> Self {
        Sha256 {
            state: IV,
            total: 0,
        }
    }
}

impl Sha256 {
    /// Absorb one whole block. Never inlined: one copy of the compression function keeps
    /// the module small, at no measurable cost per 64-byte block.
    #[inline(never)]
    pub fn block(&mut self, block: &[u8; BLOCK]) {
        #[cfg(feature = "full")]
        sha2::compress256(&mut self.state, &[(*block).into()]);
        #[cfg(not(feature = "full"))]
        compress(&mut self.state, block);
        self.total = self.total.wrapping_add(BLOCK as u64);
    }

    /// Absorb `rest` (any length) and return the digest.
    pub fn finish(mut self, rest: &[u8]) -> [u8; 32] {
        let mut chunks = rest.chunks_exact(BLOCK);
        for chunk in &mut chunks {
            if let Ok(block) = <&[u8; BLOCK]>::try_from(chunk) {
                self.block(block);
            }
        }
        let tail = chunks.remainder();
        let bits = self.total.wrapping_add(tail.len() as u64).wrapping_mul(8);
        let mut last = [0u8; BLOCK];
        // `chunks_exact` leaves fewer than 64 bytes, so this slice exists (`get_mut`, not
        // indexing, keeps a panic path out of the signature-only wasm).
        if let Some(head) = last.get_mut(..tail.len()) {
            head.copy_from_slice(tail);
        }
        // The tail is shorter than a block, so index `tail.len()` is in bounds.
        if let Some(b) = last.get_mut(tail.len()) {
            *b = 0x80;
        }
        if tail.len() >= BLOCK - 8 {
            self.block(&last);
            last = [0u8; BLOCK];
        }
        let [.., b0, b1, b2, b3, b4, b5, b6, b7] = &mut last;
        [*b0, *b1, *b2, *b3, *b4, *b5, *b6, *b7] = bits.to_be_bytes();
        self.block(&last);
        let mut out = [0u8; 32];
        for (d, w) in out.chunks_exact_mut(4).zip(self.state) {
            d.copy_from_slice(&w.to_be_bytes());
        }
        out
    }
}

/// A key's precomputed HMAC state: SHA-256 after absorbing `key ^ ipad` and `key ^ opad`.
/// It is as good as the secret for forging a MAC, so its `Debug` prints nothing of it.
#[derive(Clone, Copy)]
pub struct Key {
    /// State after the inner padded key block.
    pub inner: [u32; 8],
    /// State after the outer padded key block.
    pub outer: [u32; 8],
}

impl Key {
    /// The state for a key of at most one block (longer keys: hash them first, RFC 2104).
    pub fn from_short(key: &[u8]) -> Key {
        let mut block = [0u8; BLOCK];
        for (d, s) in block.iter_mut().zip(key) {
            *d = *s;
        }
        Key {
            inner: padded(&block, 0x36),
            outer: padded(&block, 0x5c),
        }
    }

    /// The state for a key of any length.
    pub fn new(key: &[u8]) -> Key {
        if key.len() > BLOCK {
            Key::from_short(&Sha256::default().finish(key))
        } else {
            Key::from_short(key)
        }
    }

    /// HMAC-SHA256 of `message` under this key.
    pub fn mac(&self, message: &[u8]) -> [u8; 32] {
        self.end(&self.begin().finish(message))
    }

    /// The running hash for a message under this key.
    pub fn begin(&self) -> Sha256 {
        Sha256 {
            state: self.inner,
            total: BLOCK as u64,
        }
    }

    /// The MAC, from the inner hash of the whole message.
    pub fn end(&self, inner_digest: &[u8; 32]) -> [u8; 32] {
        Sha256 {
            state: self.outer,
            total: BLOCK as u64,
        }
        .finish(inner_digest)
    }

    /// Serialized as 64 bytes (inner then outer state, big-endian words).
    pub fn to_bytes(self) -> [u8; 64] {
        let mut out = [0u8; 64];
        let words = self.inner.iter().chain(self.outer.iter());
        for (d, s) in out.iter_mut().zip(words.flat_map(|w| w.to_be_bytes())) {
            *d = s;
        }
        out
    }

    /// The inverse of [`Key::to_bytes`].
    pub fn from_bytes(bytes: &[u8; 64]) -> Key {
        let word = |i: usize| {
            let mut b = [0u8; 4];
            for (d, s) in b.iter_mut().zip(bytes.iter().skip(4 * i)) {
                *d = *s;
            }
            u32::from_be_bytes(b)
        };
        Key {
            inner: core::array::from_fn(word),
            outer: core::array::from_fn(|i| word(i + 8)),
        }
    }
}

impl core::fmt::Debug for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Key { .. }")
    }
}

fn padded(block: &[u8; BLOCK], pad: u8) -> [u32; 8] {
    let mut b = *block;
    for byte in &mut b {
        *byte ^= pad;
    }
    let mut sha = Sha256::default();
    sha.block(&b);
    sha.state
}

/// One-shot HMAC-SHA256.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    Key::new(key).mac(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The oracle: the `hmac` crate over `sha2`, on every length around block edges.
    #[test]
    fn matches_the_core_on_block_edges() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        for key_len in [0usize, 1, 31, 32, 55, 63, 64, 65, 127, 128, 200] {
            for msg_len in [0usize, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 255, 300] {
                let key = &data[..key_len];
                let msg = &data[..msg_len];
                assert_eq!(
                    hmac_sha256(key, msg),
                    oracle_hmac(key, msg),
                    "key {key_len} message {msg_len}"
                );
            }
        }
    }

    fn oracle_hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("any key length");
        mac.update(msg);
        mac.finalize().into_bytes().into()
    }

    #[test]
    fn streaming_by_blocks_equals_one_shot() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 13) as u8).collect();
        let key = Key::new(b"s3cret");
        let mut sha = key.begin();
        let mut chunks = data.chunks_exact(BLOCK);
        for chunk in &mut chunks {
            sha.block(chunk.try_into().expect("whole block"));
        }
        let streamed = key.end(&sha.finish(chunks.remainder()));
        assert_eq!(streamed, hmac_sha256(b"s3cret", &data));
    }

    #[test]
    fn key_state_round_trips() {
        let key = Key::new(b"rotation-secret");
        assert_eq!(Key::from_bytes(&key.to_bytes()).to_bytes(), key.to_bytes());
    }

    #[test]
    fn key_debug_prints_no_state() {
        assert_eq!(format!("{:?}", Key::new(b"s3cret")), "Key { .. }");
    }

    #[test]
    fn compression_matches_sha2() {
        let mut block = [0u8; BLOCK];
        for (i, b) in block.iter_mut().enumerate() {
            *b = (i * 37 + 11) as u8;
        }
        let mut ours = IV;
        let mut theirs = IV;
        for _ in 0..3 {
            compress(&mut ours, &block);
            sha2::compress256(&mut theirs, &[block.into()]);
        }
        assert_eq!(ours, theirs);
    }

    #[test]
    fn sha256_known_answer() {
        // FIPS 180-2 "abc".
        let d = Sha256::default().finish(b"abc");
        assert_eq!(
            d[..4],
            [0xba, 0x78, 0x16, 0xbf],
            "SHA-256(\"abc\") starts ba7816bf"
        );
    }
}
