//! [`parse_f64`] against the oracle `str::parse::<f64>` (core's exact `dec2flt`), bit for bit.
//!
//! Inputs: random doubles printed shortest, to 17 digits, to 18–40 digits and exactly; the
//! exact halfway points between neighbouring doubles and their nearest neighbours a digit
//! away (the hardest cases for rounding), written out to 800+ digits; subnormals, the
//! boundaries of overflow and underflow; random text over the grammar's alphabet (same
//! accept/reject); and huge literals, which must stay linear. `CALHOOK_F64_CASES` sets the
//! number of random doubles, each read in ~9 spellings: 4,000 by default in the (unoptimised)
//! `cargo test`, 1,000,000 under `cargo test --release --lib json::number` (millions of inputs).

use super::parse_f64;
use std::time::Instant;

/// SplitMix64: a deterministic stream, so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn cases() -> u64 {
    std::env::var("CALHOOK_F64_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            4_000
        } else {
            1_000_000
        })
}

/// Same result as the oracle, including rejection, bit for bit (sign of zero included).
#[track_caller]
fn check(text: &str) {
    let want = text.parse::<f64>().ok().map(f64::to_bits);
    let got = parse_f64(text).map(f64::to_bits);
    assert_eq!(
        got,
        want,
        "parse_f64({:?}) = {:?}, str::parse = {:?}",
        if text.len() > 200 { &text[..200] } else { text },
        got.map(f64::from_bits),
        want.map(f64::from_bits)
    );
}

/// A double with random bits: every exponent equally likely, subnormals and specials included.
fn random_double(rng: &mut Rng) -> f64 {
    loop {
        let x = f64::from_bits(rng.next());
        if x.is_finite() {
            return x;
        }
    }
}

/// Exact decimal digits of `m × 2^e` as (digits, exponent of the last digit): a small
/// base-10 big number written only for the test, independent of the code under test.
fn exact_decimal(m: u64, e: i32) -> (Vec<u8>, i32) {
    let mut digits: Vec<u8> = m.to_string().bytes().map(|d| d - b'0').collect();
    let mul = |digits: &mut Vec<u8>, k: u8| {
        let mut carry = 0u8;
        for d in digits.iter_mut().rev() {
            let t = *d * k + carry;
            *d = t % 10;
            carry = t / 10;
        }
        while carry > 0 {
            digits.insert(0, carry % 10);
            carry /= 10;
        }
    };
    if e >= 0 {
        for _ in 0..e {
            mul(&mut digits, 2);
        }
        (digits, 0)
    } else {
        // m / 2^k = m × 5^k / 10^k
        for _ in 0..-e {
            mul(&mut digits, 5);
        }
        (digits, e)
    }
}

fn decimal_text(digits: &[u8], exp10: i32) -> String {
    let s: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    format!("{s}e{exp10}")
}

/// The exact midpoint between positive finite `x` and the next double up, with its
/// neighbours just below and just above (a 1 far past the last digit, or a borrow).
fn halfway_texts(x: f64) -> Vec<String> {
    let bits = x.to_bits();
    let (exp, frac) = ((bits >> 52) as i32, bits & ((1 << 52) - 1));
    let (m, e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    };
    // (2m + 1) × 2^(e-1)
    let (digits, exp10) = exact_decimal(2 * m + 1, e - 1);
    let mut out = vec![decimal_text(&digits, exp10)];
    let mut above = digits.clone();
    above.extend([0, 0, 0, 1]);
    out.push(decimal_text(&above, exp10 - 4));
    // Just below: the last digit (odd × 5 … ends in 5, or an even integer) minus one, then 9s.
    let mut below = digits.clone();
    if let Some(i) = below.iter().rposition(|&d| d != 0) {
        below[i] -= 1;
        for d in below.iter_mut().skip(i + 1) {
            *d = 9;
        }
        below.extend([9, 9, 9]);
        out.push(decimal_text(&below, exp10 - 3));
    }
    out
}

#[test]
fn edge_cases_match_str_parse() {
    let fixed = [
        "0", "-0", "0.0", "-0.0", "0e0", "0e999999999999999999", "-0e-5", "00", "1", "-1", "+1",
        "1.", ".5", "-.5", "1.e3", "1e", "1e+", "e1", ".", "-", "+", "", "1..2", "1e1.5", "--1",
        "+-1", "1E+2", "1e-2", "0.1", "0.2", "0.3", "0.30000000000000004", "123456789012345678",
        "9007199254740992", "9007199254740993", "9007199254740994", "9007199254740995",
        "18014398509481985", "1e22", "1e23", "1e-22", "1e-23", "4.9e-324", "5e-324", "2e-324",
        "2.4703282292062327e-324", "2.4703282292062328e-324", "2.2250738585072011e-308",
        "2.2250738585072012e-308", "2.2250738585072014e-308", "1.7976931348623157e308",
        "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309", "-1e309",
        "1e-324", "1e-400", "1e400", "123e-310", "8.98846567431158e307", "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791",
        "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000247032822920623272088",
        "1e-2147483648", "1e2147483648", "1e-9223372036854775809", "1e18446744073709551616",
        "00000000000000000000000000001.5", "1.50000000000000000000000000000000",
        "0.000001", "1e-7", "100000000000000000000", "1e21", "4503599627370496.5",
        "4503599627370497.5", "9223372036854775807", "18446744073709551615",
        "18446744073709551616", "99999999999999999999", "7.2057594037927933e16",
    ];
    for text in fixed {
        check(text);
    }
    for e in -350..=330 {
        for m in [
            "1",
            "9",
            "17",
            "5",
            "25",
            "123456789",
            "9999999999999999999",
            "2",
            "4",
        ] {
            check(&format!("{m}e{e}"));
            check(&format!("-{m}.5e{e}"));
        }
    }
}

#[test]
fn random_doubles_match_str_parse() {
    let mut rng = Rng(0x5EED_F64A);
    for _ in 0..cases() {
        let x = random_double(&mut rng);
        check(&format!("{x:e}"));
        check(&format!("{x:.16e}"));
        let precision = 17 + rng.below(24) as usize;
        check(&format!("{x:.precision$e}"));
        check(&format!("{x}"));
        // A short mantissa with a random exponent: the fast and 128-bit paths.
        let width = 1 + rng.below(64);
        let m = rng.next() >> (64 - width);
        let e = rng.below(100) as i64 - 50;
        check(&format!("{m}e{e}"));
        check(&format!("0.{m}e{e}"));
        // Random digits, 1 to 60 of them, with a random point and exponent.
        let len = 1 + rng.below(60) as usize;
        let mut s: String = (0..len)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        s.insert(rng.below(len as u64 + 1) as usize, '.');
        if s != "." {
            check(&s);
            check(&format!("{s}e{}", rng.below(700) as i64 - 350));
        }
        // Exactly representable: every digit of the double (exact as written).
        if rng.below(16) == 0 {
            check(&format!("{x:.800e}"));
        }
    }
}

#[test]
fn halfway_points_and_neighbours_match_str_parse() {
    let mut rng = Rng(0x0A1F_5A7E);
    let n = (cases() / 10).max(200);
    for i in 0..n {
        let x = match i % 4 {
            // Around 1: the ordinary range.
            0 => f64::from_bits(0x3FF0_0000_0000_0000 | (rng.next() >> 12)),
            // Subnormals and the normal boundary.
            1 => f64::from_bits(rng.below(1 << 53)),
            // Large: halfway points are integers.
            2 => f64::from_bits(0x4340_0000_0000_0000 + (rng.next() >> 12) % (1 << 60)),
            _ => random_double(&mut rng).abs(),
        };
        if !(x.is_finite() && f64::from_bits(x.to_bits() + 1).is_finite()) {
            continue;
        }
        for text in halfway_texts(x) {
            check(&text);
        }
    }
}

#[test]
fn random_text_over_the_alphabet_matches_str_parse() {
    let mut rng = Rng(0x0A1F_ABE7);
    let alphabet = b"0123456789012345.eE+-";
    for _ in 0..cases() {
        let len = rng.below(12) as usize;
        let s: String = (0..len)
            .map(|_| char::from(alphabet[rng.below(alphabet.len() as u64) as usize]))
            .collect();
        check(&s);
    }
}

#[test]
fn long_mantissas_beyond_the_kept_digits_match_str_parse() {
    let mut rng = Rng(0x10_0000);
    for _ in 0..200 {
        let len = 700 + rng.below(400) as usize;
        let digits: String = (0..len)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        let e = rng.below(1400) as i64 - 1100;
        check(&format!("{digits}e{e}"));
        check(&format!("0.{digits}"));
        // A 1 after hundreds of zeros: only the sticky bit sees it.
        let mut sparse = String::from("1");
        sparse.push_str(&"0".repeat(len));
        sparse.push('1');
        check(&format!("{sparse}e{e}"));
    }
}

#[test]
fn huge_literals_stay_linear() {
    let mb = 1 << 20;
    let texts = [
        "1".repeat(mb),
        format!("0.{}1", "0".repeat(mb)),
        format!("1{}", "0".repeat(mb)),
        format!("{}.{}", "3".repeat(mb / 2), "7".repeat(mb / 2)),
        format!("1e{}", "9".repeat(mb)),
    ];
    let start = Instant::now();
    for text in &texts {
        check(text);
    }
    // Past Rust's own reader: it saturates the written exponent at 65,536 before the digits
    // can bring it back, and says Infinity where JS `Number()` (the oracle that matters: the
    // browser and Cal.com read these bytes) says 1 and 1.111111111111111e-6.
    let nines = format!("{}e-{mb}", "9".repeat(mb));
    assert_eq!(parse_f64(&nines), Some(1.0));
    let ones = format!("{}e-{}", "1".repeat(mb), mb + 5);
    assert_eq!(parse_f64(&ones), Some(1.111111111111111e-6));
    // Linear work: a few MB of scanning (the oracle's own work included), far under a second
    // even unoptimised; a quadratic reader would take minutes.
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}
