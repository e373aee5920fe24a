//! HMAC-SHA256 (RFC 2104) over SHA-256 (FIPS 180-4), as a resumable stream.
//!
//! The `hmac` and `sha2` crates cannot be paused between wasm calls or restored from a key's
//! precomputed state, and their unrolled compression alone is 8 KB of wasm; this is the
//! construction itself with a rolled compression loop (under 1 KB). It is checked against
//! the core's implementation (the `hmac` and `sha2` crates) in the tests below and against
//! node:crypto in the JS differential test (tests/js/slim-signature.test.mjs).

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

/// The SHA-256 compression function on one block.
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
        for (d, s) in last.iter_mut().zip(tail) {
            *d = *s;
        }
        // The tail is shorter than a block, so index `tail.len()` is in bounds.
        if let Some(b) = last.get_mut(tail.len()) {
            *b = 0x80;
        }
        if tail.len() >= BLOCK - 8 {
            self.block(&last);
            last = [0u8; BLOCK];
        }
        for (d, s) in last[BLOCK - 8..].iter_mut().zip(bits.to_be_bytes()) {
            *d = s;
        }
        self.block(&last);
        let mut out = [0u8; 32];
        for (d, s) in out
            .iter_mut()
            .zip(self.state.iter().flat_map(|w| w.to_be_bytes()))
        {
            *d = s;
        }
        out
    }
}

/// A key's precomputed HMAC state: SHA-256 after absorbing `key ^ ipad` and `key ^ opad`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    let key = Key::new(key);
    key.end(&key.begin().finish(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The oracle: the core's HMAC (the `hmac` crate), on every length around block edges.
    #[test]
    fn matches_the_core_on_block_edges() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        for key_len in [0usize, 1, 31, 32, 55, 63, 64, 65, 127, 128, 200] {
            for msg_len in [0usize, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 255, 300] {
                let key = &data[..key_len];
                let msg = &data[..msg_len];
                assert_eq!(
                    hmac_sha256(key, msg),
                    calhook::signature::hmac_sha256(key, msg),
                    "key {key_len} message {msg_len}"
                );
            }
        }
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
        assert_eq!(Key::from_bytes(&key.to_bytes()), key);
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
