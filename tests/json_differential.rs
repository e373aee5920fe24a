//! Differential test of `calhook::json` against Node's `JSON` (the oracle).
//!
//! Generates a deterministic corpus (seeded PRNG; set `CALHOOK_JSON_SEED` to explore other
//! seeds) of valid and invalid JSON texts, runs one `node` process over all of them, and
//! asserts that our parse + stringify (compact and pretty) and the truthiness of the parsed
//! value are byte-identical to `JSON.stringify(JSON.parse(x))` / `JSON.stringify(v, null, i)`,
//! and that exactly the same inputs are rejected.

mod common;
use calhook::json::{parse, stringify, stringify_pretty, JsStringLimits, JsStringStop};
use common::Rng;
use std::io::Write;
use std::process::Command;

const TRICKY_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "-0.0",
    "1.0",
    "1.50",
    "1e2",
    "1E2",
    "1e+2",
    "1e-2",
    "1E-0",
    "1e21",
    "1e20",
    "123e18",
    "0.0000001",
    "0.000001",
    "1E400",
    "-1E400",
    "1e-400",
    "5e-324",
    "2.4703282292062327e-324",
    "2.4703282292062328e-324",
    "1.7976931348623157e308",
    "1.7976931348623158e308",
    "1.7976931348623159e308",
    "9007199254740993",
    "9007199254740992",
    "12345678901234567890",
    "123456789012345678901234567890",
    "0.30000000000000004",
    "0.1",
    "100",
    "1e-7",
    "4.35",
    "0.000001234",
    "-1.5e-9",
    "4294967295",
    "4294967296",
    "1.0000000000000000000000000000001",
    "0.99999999999999999999999999",
    "2.2250738585072011e-308",
    "2.2250738585072014e-308",
    "1e23",
    "8.41e21",
    "5e-7",
    "123456789e-30",
    "-12.5e+3",
    "1e0000000000000000000010",
];

const STRING_PIECES: &[&str] = &[
    "a",
    "Ab",
    " ",
    "héllo",
    "😀",
    "日本",
    "\u{2028}",
    "\u{2029}",
    "\u{7f}",
    "\u{a0}",
    "\u{feff}",
    "\\\"",
    "\\\\",
    "\\/",
    "\\b",
    "\\f",
    "\\n",
    "\\r",
    "\\t",
    "\\u0041",
    "\\u00e9",
    "\\u00E9",
    "\\u0000",
    "\\u001f",
    "\\u001F",
    "\\u007f",
    "\\u2028",
    "\\ud83d\\ude00",
    "\\uD83D\\uDE00",
    "\\uffff",
    "\\ufeff",
    "&quot;",
    "<>&'`=",
    "/",
    "{{x}}",
    "C:\\\\new",
    "\u{10ffff}",
    "\u{e000}",
];

const KEYS: &[&str] = &[
    "a",
    "b",
    "name",
    "0",
    "1",
    "2",
    "10",
    "01",
    "-1",
    "1.0",
    "4294967294",
    "4294967295",
    "4294967296",
    "__proto__",
    "constructor",
    "toString",
    "length",
    "",
    " ",
    "é",
    "😀",
    "a\\\"b",
    "\\u0030",
    "\\u0031\\u0030",
    "x\\ny",
    "9",
    "007",
    "100",
];

fn ws(rng: &mut Rng) -> &'static str {
    if rng.chance(70) {
        ""
    } else {
        rng.pick(&[" ", "\n", "\t", "\r\n", "  ", " \t\r\n "])
    }
}

fn gen_number(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => rng.pick(TRICKY_NUMBERS).to_string(),
        1 => {
            let digits = 1 + rng.below(30);
            let mut s = String::new();
            if rng.chance(30) {
                s.push('-');
            }
            s.push(char::from(b'1' + rng.below(9) as u8));
            for _ in 1..digits {
                s.push(char::from(b'0' + rng.below(10) as u8));
            }
            s
        }
        2 => {
            let mut s = String::new();
            if rng.chance(30) {
                s.push('-');
            }
            s.push_str(&rng.below(1000).to_string());
            s.push('.');
            for _ in 0..1 + rng.below(25) {
                s.push(char::from(b'0' + rng.below(10) as u8));
            }
            s
        }
        _ => {
            let mut s = format!("{}", rng.below(100_000));
            if rng.chance(50) {
                s.push_str(&format!(".{}", rng.below(1000)));
            }
            s.push(rng.pick(&['e', 'E']));
            s.push_str(rng.pick(&["", "+", "-"]));
            s.push_str(&rng.below(330).to_string());
            s
        }
    }
}

fn gen_string(rng: &mut Rng) -> String {
    let mut s = String::from("\"");
    for _ in 0..rng.below(6) {
        s.push_str(rng.pick(STRING_PIECES));
    }
    s.push('"');
    s
}

fn gen_value(rng: &mut Rng, depth: usize) -> String {
    let kind = if depth > 5 {
        rng.below(5)
    } else {
        rng.below(8)
    };
    match kind {
        0 => rng.pick(&["true", "false", "null"]).to_string(),
        1 | 2 => gen_number(rng),
        3 | 4 => gen_string(rng),
        5 => {
            let n = rng.below(5);
            let items: Vec<String> = (0..n)
                .map(|_| format!("{}{}{}", ws(rng), gen_value(rng, depth + 1), ws(rng)))
                .collect();
            format!("[{}{}]", items.join(","), ws(rng))
        }
        _ => {
            // Mostly small objects; sometimes large ones (past calhook's linear-search limit
            // of 16 keys, where a hash index takes over) with many index-like keys.
            let large = depth < 2 && rng.chance(8);
            let n = if large {
                17 + rng.below(40)
            } else {
                rng.below(6)
            };
            let mut keys: Vec<String> = Vec::new();
            for _ in 0..n {
                // Integer-like and duplicate keys are frequent on purpose.
                let key = if !keys.is_empty() && rng.chance(20) {
                    keys[rng.below(keys.len())].clone()
                } else if large && rng.chance(50) {
                    let k = rng.below(60);
                    if rng.chance(20) {
                        format!("k{k}")
                    } else {
                        k.to_string()
                    }
                } else {
                    rng.pick(KEYS).to_string()
                };
                keys.push(key);
            }
            let members: Vec<String> = keys
                .iter()
                .map(|k| {
                    format!(
                        "{}\"{k}\"{}:{}{}{}",
                        ws(rng),
                        ws(rng),
                        ws(rng),
                        gen_value(rng, depth + 1),
                        ws(rng)
                    )
                })
                .collect();
            format!("{{{}{}}}", members.join(","), ws(rng))
        }
    }
}

/// Break a valid text in one of the ways real inputs are broken.
fn corrupt(rng: &mut Rng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = rng.below(chars.len() + 1);
    let (a, b): (String, String) = (chars[..at].iter().collect(), chars[at..].iter().collect());
    match rng.below(12) {
        0 => format!("\u{feff}{text}"),
        1 => format!("{text}\u{a0}"),
        2 => format!("\u{a0}{text}"),
        3 => text.replacen(']', ",]", 1).replacen('}', ",}", 1),
        4 => format!("{a}\\{b}"),
        5 => format!("{a}\n{b}"),
        6 => format!("{a}\u{1}{b}"),
        7 => format!("{a}{b}x"),
        8 => a,
        9 => format!(
            "{a}{}{b}",
            rng.pick(&["'", "\u{b}", "\u{c}", ",", ":", "\"", "-", "."])
        ),
        10 => {
            let mut c = chars.clone();
            if !c.is_empty() {
                c.remove(rng.below(c.len()));
            }
            c.into_iter().collect()
        }
        _ => format!(
            "{text}{}",
            rng.pick(&[" 1", ",", "]", "}", "\u{0}", "\u{2028}"])
        ),
    }
}

const FIXED: &[&str] = &[
    "",
    " ",
    "null",
    "true",
    "false",
    "0",
    "-0",
    "\"\"",
    "[]",
    "{}",
    "[,]",
    "[1,]",
    "{,}",
    "{\"a\":1,}",
    "{\"a\" 1}",
    "{a:1}",
    "{'a':1}",
    "['a']",
    "\"\\\"",
    "\"\\",
    "\"\\u\"",
    "\"\\u00\"",
    "\"\\u00g0\"",
    "\"\\x41\"",
    "\"\\'\"",
    "\"\\a\"",
    "\"\t\"",
    "\"\u{0}\"",
    "\"\u{1f}\"",
    "\"\u{7f}\"",
    "01",
    "00",
    "-",
    "-a",
    "--1",
    "+1",
    ".1",
    "1.",
    "1.e1",
    "1e",
    "1e+",
    "1e-",
    "0x1",
    "NaN",
    "Infinity",
    "-Infinity",
    "undefined",
    "tRue",
    "nulL",
    "truee",
    "\u{feff}{}",
    "{}\u{feff}",
    "\u{a0}1",
    "\u{b}1",
    "\u{c}1",
    "1\u{0}",
    "\u{2028}1",
    "[1 2]",
    "[1,,2]",
    "{\"a\":1 \"b\":2}",
    "{\"a\"::1}",
    "{\"a\":}",
    "{\"a\"}",
    "{1:1}",
    "[\"a\",]",
    "\"abc",
    "[",
    "{",
    "]",
    "}",
    "[[[[]]]]",
    "{\"\":{\"\":{\"\":1}}}",
    "{\"__proto__\":{\"a\":1},\"a\":2}",
    "{\"a\":1,\"a\":2,\"b\":3,\"a\":4}",
    "{\"1\":1,\"0\":0,\"a\":2,\"-1\":3,\"01\":4}",
    "1E400",
    "[1E400,-1E400,1e-400]",
    "\"\\ud83d\\ude00\"",
    "\"\\uD83D\\uDE00\"",
    "\"C:\\new\"",
    "\"DOMAIN\\user\"",
    "\" \\/ \"",
    "{\"a\":[1,{\"b\":[]},{}],\"c\":\"x\"}",
    "[\"\u{2028}\u{2029}\"]",
    "1 ",
    " 1",
    "\r\n1\r\n",
];

#[test]
fn json_matches_node() {
    let seed: u64 = std::env::var("CALHOOK_JSON_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x05EE_DCA1);
    let mut rng = Rng(seed);
    let mut cases: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
    while cases.len() < 2400 {
        let text = format!("{}{}{}", ws(&mut rng), gen_value(&mut rng, 0), ws(&mut rng));
        if rng.chance(30) {
            cases.push(corrupt(&mut rng, &text));
        } else {
            cases.push(text);
        }
    }

    let lines: Vec<String> = cases.iter().map(|c| hex(c.as_bytes())).collect();
    let script = r#"
const fs = require('fs');
const hex = (s) => Buffer.from(s, 'utf8').toString('hex');
// Lone surrogates cannot live in Rust strings: calhook turns them into U+FFFD (documented).
// Compare such cases against the same mapping applied on the JS side.
const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const fix = (v) => {
  if (typeof v === 'string') return v.replace(lone, '\ufffd');
  if (Array.isArray(v)) return v.map(fix);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v)) {
      Object.defineProperty(o, fix(k),
        { value: fix(v[k]), enumerable: true, writable: true, configurable: true });
    }
    return o;
  }
  return v;
};
const lines = fs.readFileSync(process.argv[1], 'utf8').split('\n');
lines.pop();
const out = [];
for (const line of lines) {
  const text = Buffer.from(line, 'hex').toString('utf8');
  let v;
  try { v = fix(JSON.parse(text)); } catch (e) { out.push('false'); continue; }
  out.push([hex(JSON.stringify(v)), hex(JSON.stringify(v, null, 2)),
            hex(JSON.stringify(v, null, '\t-')), v ? 'T' : 'F'].join(' '));
}
fs.writeFileSync(process.argv[2], out.join('\n') + '\n');
"#;
    let results = run_node_oracle("json-diff", &lines, script);
    assert_eq!(results.len(), cases.len());

    let mut failures = Vec::new();
    let (mut valid, mut invalid) = (0, 0);
    for (case, expected) in cases.iter().zip(&results) {
        let ours = match parse(case) {
            Ok(v) => {
                valid += 1;
                [
                    hex(stringify(&v).as_bytes()),
                    hex(stringify_pretty(&v, "  ").as_bytes()),
                    hex(stringify_pretty(&v, "\t-").as_bytes()),
                    (if v.is_truthy() { "T" } else { "F" }).to_string(),
                ]
                .join(" ")
            }
            Err(_) => {
                invalid += 1;
                "false".to_string()
            }
        };
        if ours != *expected {
            failures.push(format!(
                "input {case:?}\n  node: {}\n  ours: {}",
                unhex(expected),
                unhex(&ours)
            ));
        }
    }
    eprintln!(
        "json differential: {} cases ({valid} valid, {invalid} invalid), {} mismatches",
        cases.len(),
        failures.len()
    );
    assert!(valid > 1000 && invalid > 300, "corpus is unbalanced");
    assert!(
        failures.is_empty(),
        "{} mismatches (seed {seed}):\n{}",
        failures.len(),
        failures
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(line: &str) -> String {
    line.split(' ')
        .map(|part| {
            if part.len() <= 1 || part == "false" {
                return part.to_string();
            }
            let bytes: Vec<u8> = (0..part.len() / 2)
                .filter_map(|i| u8::from_str_radix(&part[2 * i..2 * i + 2], 16).ok())
                .collect();
            format!("{:?}", String::from_utf8_lossy(&bytes))
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Strings that JS `Number()` reads in interesting ways, for `==` against numbers and booleans.
const NUMBER_LIKE_STRINGS: &[&str] = &[
    "\"\"",
    "\" \"",
    "\"0\"",
    "\"-0\"",
    "\"1\"",
    "\" 1 \"",
    "\"\\n1\\t\"",
    "\"1e3\"",
    "\"1E3\"",
    "\".5\"",
    "\"5.\"",
    "\"+5\"",
    "\"0x1F\"",
    "\"0X1f\"",
    "\"-0x10\"",
    "\"0o17\"",
    "\"0b101\"",
    "\"0b\"",
    "\"1_000\"",
    "\"Infinity\"",
    "\"-Infinity\"",
    "\"infinity\"",
    "\"NaN\"",
    "\"true\"",
    "\"1,2\"",
    "\"[object Object]\"",
    "\"1e400\"",
    "\"00012\"",
    "\"\\u00a01\"",
    "\"\\ufeff2\"",
];

/// A value for the `String()` / `==` corpus: JSON values, small arrays of primitives (which
/// `==` compares by their joined text) and number-like strings.
fn gen_js_operand(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => rng.pick(NUMBER_LIKE_STRINGS).to_string(),
        1 => {
            let n = rng.below(3);
            let items: Vec<String> = (0..n)
                .map(|_| match rng.below(3) {
                    0 => rng.pick(NUMBER_LIKE_STRINGS).to_string(),
                    1 => rng
                        .pick(&["null", "true", "false", "[]", "[1,[2]]", "{}"])
                        .to_string(),
                    _ => gen_number(rng),
                })
                .collect();
            format!("[{}]", items.join(","))
        }
        2 => rng
            .pick(&[
                "0", "1", "-0", "true", "false", "null", "5", "31", "16", "1000",
            ])
            .to_string(),
        _ => gen_value(rng, 3),
    }
}

/// `String(v)` and `a == b` (`calhook::json`'s one implementation, used by the template engine)
/// against Node on a seeded corpus of value pairs.
#[test]
fn js_string_and_loose_eq_match_node() {
    let mut rng = Rng(0x5EED_0E0E);
    let pairs: Vec<(String, String)> = (0..3000)
        .map(|_| (gen_js_operand(&mut rng), gen_js_operand(&mut rng)))
        .collect();
    let lines: Vec<String> = pairs
        .iter()
        .map(|(a, b)| format!("{} {}", hex(a.as_bytes()), hex(b.as_bytes())))
        .collect();
    let script = r#"
const fs = require('fs');
const hex = (s) => Buffer.from(s, 'utf8').toString('hex');
const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const lines = fs.readFileSync(process.argv[1], 'utf8').split('\n');
lines.pop();
const out = lines.map((line) => {
  const [a, b] = line.split(' ').map((h) => JSON.parse(Buffer.from(h, 'hex').toString('utf8')));
  // '!' where JS throws: an object with an own `toString` key has no primitive value.
  const attempt = (f) => {
    try {
      return f();
    } catch {
      return '!';
    }
  };
  return [attempt(() => hex(String(a).replace(lone, '\ufffd'))), attempt(() => (a == b ? 'T' : 'F')), a == a ? 'T' : 'F'].join(' ');
});
fs.writeFileSync(process.argv[2], out.join('\n') + '\n');
"#;
    let results = run_node_oracle("js-eq", &lines, script);
    assert_eq!(results.len(), pairs.len());
    let mut failures = Vec::new();
    let mut equal = 0;
    let mut string_throws = 0;
    let mut eq_throws = 0;
    for ((a, b), expected) in pairs.iter().zip(&results) {
        let (x, y) = (
            parse(a).expect("corpus is valid JSON"),
            parse(b).expect("corpus is valid JSON"),
        );
        let mut text = String::new();
        let limits = JsStringLimits {
            max_depth: 512,
            max_len: usize::MAX,
        };
        let ours_text = match x.write_js_string(&mut text, limits) {
            Ok(()) => hex(text.as_bytes()),
            Err(JsStringStop::NoPrimitive) => {
                string_throws += 1;
                "!".to_string()
            }
            Err(stop) => format!("stopped: {stop:?}"),
        };
        // `a == b` throws in JS where ToPrimitive meets such an object; `loose_eq` answers
        // "not equal" there (a known difference, counted: the renderer's `==` only compares
        // the context stack, and printing such an object is already an error).
        let eq = x.loose_eq(&y);
        let ours_eq = if expected.split(' ').nth(1) == Some("!") {
            eq_throws += 1;
            "!"
        } else {
            equal += usize::from(eq);
            if eq {
                "T"
            } else {
                "F"
            }
        };
        let ours = [
            ours_text,
            ours_eq.to_string(),
            (if x.loose_eq(&x) { "T" } else { "F" }).to_string(),
        ]
        .join(" ");
        if ours != *expected {
            failures.push(format!("{a} == {b}\n  node: {expected}\n  ours: {ours}"));
        }
    }
    eprintln!(
        "String()/== differential: {} pairs ({equal} equal; String() throws {string_throws}, == throws {eq_throws}), {} mismatches",
        pairs.len(),
        failures.len()
    );
    assert!(equal > 100, "corpus has too few equal pairs to test ==");
    assert!(
        string_throws > 10,
        "corpus has too few objects with an own toString key"
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures[..failures.len().min(8)].join("\n")
    );
}

/// Run `script` in Node (the oracle) on `lines` written to a temporary file (`process.argv[1]`);
/// the script writes one result line per input line to `process.argv[2]`.
fn run_node_oracle(tag: &str, lines: &[String], script: &str) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("calhook-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("input.txt");
    let mut file = std::fs::File::create(&input).unwrap();
    for line in lines {
        writeln!(file, "{line}").unwrap();
    }
    drop(file);
    let output = dir.join("results.txt");
    let status = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(&input)
        .arg(&output)
        .status()
        .expect("node must be on PATH (it is the oracle)");
    assert!(status.success(), "node failed");
    let results = std::fs::read_to_string(&output).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    results.lines().map(str::to_string).collect()
}
