//! Decimal text to the nearest double, without core's float parser.
//!
//! `str::parse::<f64>` is exact but brings core's `dec2flt` into the wasm: a 10 KB table of
//! 128-bit powers of five (Eisel–Lemire) and ~6 KB of code. Every number calhook reads is short
//! (JSON numbers, Handlebars literals, JS `Number()` of decimal text), so three exact paths do:
//!
//! 1. Clinger's fast path: at most 2⁵³ as mantissa and |exponent| ≤ 22, one IEEE multiply or
//!    divide of two exact doubles (correctly rounded by the hardware);
//! 2. up to 19 digits with |exponent| ≤ 27: exact in 128-bit integers (`5^27 < 2^63`);
//! 3. anything else: exact big-integer division, `digits × 5^e` over `5^-e`, rounded once.
//!
//! Hostile input is bounded: only the first [`MAX_DIGITS`] significant digits are kept (a
//! halfway point between two doubles has at most 767, so later digits only decide a sticky
//! bit), and values past the double range short-cut to ±Infinity or ±0 before any big number is
//! built. A 1 MB literal costs one linear scan.

/// Significant digits kept exactly; more only mark the value as above the kept digits.
const MAX_DIGITS: usize = 800;

/// The powers of ten that are exact doubles.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The double nearest to decimal `text` (ties to even), saturating to ±Infinity / ±0 as Rust
/// and JS do: the same result as `text.parse::<f64>()` for `Sign? (Digits | Digits '.'
/// Digits? | '.' Digits) ([eE] Sign? Digits)?` and `None` for any other text (this reader has
/// no `inf` / `nan` words). Every JSON number is in that grammar.
pub(crate) fn parse_f64(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let negative = b.first() == Some(&b'-');
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let int = digit_run(b, i);
    i = int.end;
    let frac = if b.get(i) == Some(&b'.') {
        digit_run(b, i + 1)
    } else {
        i..i
    };
    i = frac.end;
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut exp: i64 = 0;
    if let Some(b'e' | b'E') = b.get(i) {
        let exp_negative = b.get(i + 1) == Some(&b'-');
        let run = digit_run(
            b,
            i + 1 + usize::from(matches!(b.get(i + 1), Some(b'-' | b'+'))),
        );
        if run.is_empty() {
            return None;
        }
        i = run.end;
        // Saturate: an exponent beyond 10^15 is past any double whatever the digits.
        for &d in b.get(run)? {
            exp = (exp * 10 + i64::from(d - b'0')).min(1_000_000_000_000_000);
        }
        if exp_negative {
            exp = -exp;
        }
    }
    if i != b.len() {
        return None;
    }
    let total = int.len() + frac.len();
    let all = b.get(int)?.iter().chain(b.get(frac.clone())?);
    let lz = all.clone().take_while(|&&d| d == b'0').count();
    if lz == total {
        return Some(if negative { -0.0 } else { 0.0 });
    }
    let tz = all.clone().rev().take_while(|&&d| d == b'0').count();
    let n = total - lz - tz;
    let digits = all.skip(lz).take(n);
    // value = d₁d₂…dₙ × 10^e10, and 10^(p-1) ≤ value < 10^p.
    let e10 = exp - frac.len() as i64 + tz as i64;
    let p = e10 + n as i64;
    let magnitude = if p >= 310 {
        f64::INFINITY
    } else if p <= -324 {
        0.0
    } else if n <= 19 {
        let d = digits.fold(0u64, |acc, &c| acc * 10 + u64::from(c - b'0'));
        small(d, e10 as i32)
    } else {
        big(digits, n, e10 as i32)
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The digits from `start`: their range in `b`.
fn digit_run(b: &[u8], start: usize) -> std::ops::Range<usize> {
    let len = b.get(start..).map_or(0, |rest| {
        rest.iter().take_while(|d| d.is_ascii_digit()).count()
    });
    start..start + len
}

/// `d × 10^e10` for `d < 10^19`, `-343 < e10 < 310`.
fn small(d: u64, e10: i32) -> f64 {
    if d <= 1 << 53 && e10.unsigned_abs() <= 22 {
        let pow = POW10[e10.unsigned_abs() as usize];
        return if e10 < 0 {
            d as f64 / pow
        } else {
            d as f64 * pow
        };
    }
    if (0..=27).contains(&e10) {
        // 10^e = 5^e × 2^e; d × 5^27 < 2^127 is exact.
        return round(u128::from(d) * u128::from(5u64.pow(e10 as u32)), false, e10);
    }
    if (-27..0).contains(&e10) {
        // d / (5^k × 2^k): shifted to 128 bits the quotient keeps ≥ 65 bits, the remainder
        // is the sticky bit.
        let k = e10.unsigned_abs();
        let shift = d.leading_zeros() + 64;
        let num = u128::from(d) << shift;
        let den = u128::from(5u64.pow(k));
        return round(num / den, num % den != 0, e10 - shift as i32);
    }
    big_value(Big::from_u64(d), e10)
}

/// `d₁…dₙ × 10^e10` from many digits: the first [`MAX_DIGITS`] exactly, the rest (which hold a
/// non-zero digit: the last digit is significant) as a trailing `1` that only breaks ties.
fn big<'a>(digits: impl Iterator<Item = &'a u8>, n: usize, mut e10: i32) -> f64 {
    let mut value = Big(Vec::new());
    let mut chunk = 0u32;
    let mut scale = 1u32;
    for &c in digits.take(MAX_DIGITS) {
        chunk = chunk * 10 + u32::from(c - b'0');
        scale *= 10;
        if scale == 1_000_000_000 {
            value.mul_add(scale, chunk);
            (chunk, scale) = (0, 1);
        }
    }
    if n > MAX_DIGITS {
        e10 += (n - MAX_DIGITS) as i32 - 1;
        chunk = chunk * 10 + 1;
        scale *= 10;
    }
    value.mul_add(scale, chunk);
    big_value(value, e10)
}

/// `digits × 10^e10` rounded by exact division: `digits × 5^e10 / 5^-e10` scaled by a power of
/// two so that the quotient has 55–56 bits, the remainder as sticky bit.
fn big_value(mut num: Big, e10: i32) -> f64 {
    let mut den = Big::from_u64(1);
    if e10 >= 0 {
        num.mul_pow5(e10.unsigned_abs());
    } else {
        den.mul_pow5(e10.unsigned_abs());
    }
    // num·2^s / den lies in (2^54, 2^56).
    let s = 55 - (num.bits() as i32 - den.bits() as i32);
    num.shl(s.max(0) as u32);
    // The divisor shifted by the quotient's top bit: restoring division shifts the
    // remainder instead of the divisor.
    den.shl((-s).max(0) as u32 + 55);
    let mut q = 0u64;
    for _ in 0..56 {
        q <<= 1;
        if num.ge(&den) {
            num.sub(&den);
            q |= 1;
        }
        num.shl(1);
    }
    round(u128::from(q), !num.0.is_empty(), e10 - s)
}

/// The double nearest to `(q + δ) × 2^e2`, where `0 < δ < 1` exactly when `sticky` (then `q`
/// has at least 54 bits, so that the rounding bit is known): ties to even, subnormals,
/// overflow to Infinity.
fn round(q: u128, sticky: bool, e2: i32) -> f64 {
    let len = 128 - q.leading_zeros() as i32;
    // Keep 54 bits (53 and the rounding bit), fewer below the normal range.
    let shift = (len - 54).max(-1075 - e2);
    let (kept, sticky) = if shift <= 0 {
        (q << shift.unsigned_abs().min(127), sticky)
    } else if shift >= 128 {
        (0, sticky || q != 0)
    } else {
        (q >> shift, sticky || q & ((1 << shift) - 1) != 0)
    };
    let kept = kept as u64;
    let mut m = kept >> 1;
    if kept & 1 == 1 && (sticky || m & 1 == 1) {
        m += 1;
    }
    // m × 2^e with e ≥ -1074; a carry out of 53 bits (or into the normal range) moves into
    // the exponent field by the addition itself.
    let e = e2 + shift + 1;
    let biased = ((e + 1074) as u64).min(2047);
    let bits = ((biased << 52) + m).min(f64::INFINITY.to_bits());
    f64::from_bits(bits)
}

/// A non-negative big integer, 32-bit limbs from the least significant, no zero limb on top.
struct Big(Vec<u32>);

impl Big {
    fn from_u64(v: u64) -> Big {
        let mut big = Big(vec![v as u32, (v >> 32) as u32]);
        big.trim();
        big
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    /// `self × m + a`.
    fn mul_add(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for limb in &mut self.0 {
            let t = u64::from(*limb) * u64::from(m) + carry;
            *limb = t as u32;
            carry = t >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    /// `self × 5^k`.
    fn mul_pow5(&mut self, mut k: u32) {
        while k > 0 {
            let step = k.min(13);
            self.mul_add(5u32.pow(step), 0);
            k -= step;
        }
    }

    /// Number of significant bits.
    fn bits(&self) -> u32 {
        self.0
            .last()
            .map_or(0, |top| self.0.len() as u32 * 32 - top.leading_zeros())
    }

    /// `self × 2^s`.
    fn shl(&mut self, s: u32) {
        if self.0.is_empty() {
            return;
        }
        let (limbs, bits) = ((s / 32) as usize, s % 32);
        if bits != 0 {
            let mut carry = 0;
            for limb in &mut self.0 {
                let next = *limb >> (32 - bits);
                *limb = (*limb << bits) | carry;
                carry = next;
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat(0).take(limbs));
    }

    /// `self ≥ other`.
    fn ge(&self, other: &Big) -> bool {
        if self.0.len() != other.0.len() {
            return self.0.len() > other.0.len();
        }
        self.0.iter().rev().cmp(other.0.iter().rev()) != std::cmp::Ordering::Less
    }

    /// `self − other`, for `self ≥ other`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = false;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let (d, b1) = limb.overflowing_sub(other.0.get(i).copied().unwrap_or(0));
            let (d, b2) = d.overflowing_sub(u32::from(borrow));
            *limb = d;
            borrow = b1 || b2;
        }
        self.trim();
    }
}

#[cfg(test)]
mod tests;
