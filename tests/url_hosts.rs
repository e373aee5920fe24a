//! URLs read as WHATWG URL reads them (feature `url`), differentially against the runtimes.
//!
//! Several hundred tricky spellings of webhook URLs (fullwidth and circled digits, ideographic
//! full stops, percent-encoding, `\@`, IDNA, brackets, ports, userinfo, trailing dots, numeric
//! IPv4 forms, IPv6 forms carrying IPv4) go through the native path — the `url` crate and
//! `calhook::webhook::host` — and the verdicts are written to tests/vectors/urls.json. The same
//! file runs in Node (ESM and CJS), Deno, workerd and Chromium (tests/js/runtimes.test.mjs),
//! where the runtime's own `URL` reads each spelling: both paths must agree case by case.
//! Regenerate with `CALHOOK_UPDATE_GENERATED=1 cargo test --features url --test url_hosts`.
#![cfg(feature = "url")]

use calhook::json::{self, Object, Value};
use calhook::webhook::host::{read_url_conservative, read_url_whatwg};
use calhook::webhook::{
    classify_host, validate_webhook_create, webhook_request, WebhookOp, WebhookScope,
};
use std::path::Path;

/// Hosts as an attacker might write them.
const HOSTS: &[&str] = &[
    // Loopback, in every spelling WHATWG URL accepts.
    "127.0.0.1",
    "127.1",
    "127.0.1",
    "0x7f.1",
    "0x7F000001",
    "2130706433",
    "0177.0.0.1",
    "0000000177.0.0.1",
    "127.0.0.1.",
    "127.0.0.01",
    "１２７.０.０.１",
    "①②⑦.0.0.1",
    "127。0。0。1",
    "127．0．0．1",
    "127｡0｡0｡1",
    "%31%32%37.0.0.1",
    "127.0.0.%31",
    "127%2E0%2E0%2E1",
    "0x7f.0.0.0x1",
    "127.0.0.1%00",
    // Other special-purpose IPv4 ranges.
    "0.0.0.0",
    "0",
    "10.0.0.1",
    "10.1",
    "100.64.0.1",
    "100.127.255.255",
    "100.128.0.1",
    "169.254.169.254",
    "0xa9.0xfe.0xa9.0xfe",
    "172.16.0.1",
    "172.31.255.255",
    "172.32.0.1",
    "192.0.0.1",
    "192.0.2.1",
    "192.88.99.1",
    "192.168.0.1",
    "192.168.257",
    "198.18.0.1",
    "198.19.255.255",
    "198.20.0.1",
    "198.51.100.1",
    "203.0.113.1",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "4294967295",
    "4294967296",
    // Public IPv4.
    "8.8.8.8",
    "1.1.1.1",
    "134744072",
    "8.0x8.2056",
    "192.0.1.1",
    // IPv6.
    "[::1]",
    "[0:0:0:0:0:0:0:1]",
    "[::]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[::ffff:8.8.8.8]",
    "[::127.0.0.1]",
    "[::8.8.8.8]",
    "[::ffff:0:7f00:1]",
    "[64:ff9b::7f00:1]",
    "[64:ff9b::127.0.0.1]",
    "[64:ff9b::a9fe:a9fe]",
    "[64:ff9b::808:808]",
    "[64:ff9b:1::1]",
    "[2002:7f00:1::]",
    "[2002:c0a8:101::1]",
    "[2002:808:808::1]",
    "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",
    "[2001:db8::1]",
    "[3fff::1]",
    "[fec0::1]",
    "[fe80::1]",
    "[fe80::1%25eth0]",
    "[fc00::1]",
    "[fd12:3456::1]",
    "[ff02::1]",
    "[100::1]",
    "[5f00::1]",
    "[4000::1]",
    "[2606:4700::1111]",
    "[2001:4860:4860::8888]",
    "[2001:3::1]",
    "[::1]:8080",
    "[::1",
    "::1",
    // Names.
    "localhost",
    "LOCALHOST",
    "localhost.",
    "ⓛocalhost",
    "ｌｏｃａｌｈｏｓｔ",
    "loc%61lhost",
    "localhost%2e",
    "lo\u{00AD}calhost",
    "local\u{200B}host",
    "foo.localhost",
    "printer.local",
    "svc.internal",
    "metadata.google.internal",
    "router.home.arpa",
    "box.localdomain",
    "intranet",
    "example.com",
    "EXAMPLE.com",
    "exa%6dple.com",
    "example.com.",
    "münchen.de",
    "xn--mnchen-3ya.de",
    "ex\u{00AD}ample.com",
    "127.0.0.1.nip.io",
    "localhost.example.com",
    "example。com",
    "ｅｘａｍｐｌｅ.com",
    // (Not "xn--": the runtimes' URL accepts that empty punycode label, the url crate refuses
    // it; both are fail-closed verdicts, PRIVATE_HOST (single label) and INVALID_URL.)
    "a..b.com",
    "",
];

/// Ways to wrap a host into a URL (`{}` is the host).
const FORMS: &[&str] = &[
    "https://{}/",
    "http://{}/hook",
    "https://{}:8443/x",
    "https://user:pw@{}/",
    "https://{}\\@evil.com/",
    "https://evil.com\\@{}/",
    "https://evil.com@{}/",
    "HTTPS://{}",
    "https:{}/x",
    "  https://{}/  ",
    "https://{}#@evil.com",
    "ftp://{}/",
];

/// Extra spellings that are not host × form.
const EXTRA: &[&str] = &[
    "http://127.0.0.1\\@evil.com",
    "http://evil.com\\@127.0.0.1",
    "https://127.0.0\t.1/",
    "https://127.0.0.1\n/",
    "https:\\\\127.0.0.1",
    "https:/127.0.0.1/",
    "https:///127.0.0.1/",
    "https://example.com@127.0.0.1:80@evil.com/",
    "https://[::ffff:127.0.0.1]:443/",
    "https://0x7f.1:0/",
    "https://127.0.0.1:65536/",
    "https://example.com:/",
    "javascript:alert(1)",
    "https://",
    "example.com/hook",
    "//127.0.0.1/",
];

fn spellings() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for form in FORMS {
        for host in HOSTS {
            out.push(form.replace("{}", host));
        }
    }
    out.extend(EXTRA.iter().map(|s| s.to_string()));
    out
}

/// The subscriberUrl issue codes of a create body, sorted.
fn subscriber_codes(url: &str) -> Vec<String> {
    let mut body = Object::new();
    body.insert("subscriberUrl", Value::string(url));
    body.insert(
        "triggers",
        Value::array(vec![Value::string("BOOKING_CREATED")]),
    );
    let v = validate_webhook_create(&Value::object(body));
    let mut codes: Vec<String> = v
        .issues
        .iter()
        .filter(|i| i.path == "subscriberUrl")
        .map(|i| i.code.as_str().to_string())
        .collect();
    codes.sort();
    codes
}

/// The list request's URL for a base URL, or the error code.
fn base_verdict(base: &str) -> Value {
    let mut o = Object::new();
    match webhook_request(
        WebhookOp::List,
        &WebhookScope::User,
        None,
        None,
        "cal_test_x",
        Some(base),
    ) {
        Ok(r) => o.insert("url", Value::string(r.url)),
        Err(e) => o.insert("error", Value::string(e.code.as_str())),
    };
    Value::object(o)
}

fn case(name: &str, f: &str, arg: &str, value: Value) -> Value {
    let mut c = Object::new();
    c.insert("name", Value::string(name));
    c.insert("fn", Value::string(f));
    c.insert("args", Value::array(vec![Value::string(arg)]));
    let mut expect = Object::new();
    expect.insert("value", value);
    c.insert("expect", Value::object(expect));
    Value::object(c)
}

fn codes_value(codes: &[String]) -> Value {
    let mut o = Object::new();
    o.insert(
        "codes",
        Value::array(codes.iter().map(|c| Value::string(c.as_str())).collect()),
    );
    Value::object(o)
}

#[test]
fn native_verdicts_match_the_runtime_vectors() {
    let mut cases = Vec::new();
    let all = spellings();
    for url in &all {
        let codes = subscriber_codes(url);
        cases.push(case(
            &format!("subscriberUrl {url:?}"),
            "urlVerdict",
            url,
            codes_value(&codes),
        ));
    }
    for host in HOSTS {
        for form in ["https://{}", "https://{}/v2", "http://{}", "https://u@{}"] {
            let base = form.replace("{}", host);
            cases.push(case(
                &format!("baseUrl {base:?}"),
                "baseUrlVerdict",
                &base,
                base_verdict(&base),
            ));
        }
    }
    for base in EXTRA.iter().copied().chain([
        "https://evil.example\\.api.cal.com",
        "https://api.cal.com?x=1",
    ]) {
        cases.push(case(
            &format!("baseUrl {base:?}"),
            "baseUrlVerdict",
            base,
            base_verdict(base),
        ));
    }
    assert!(cases.len() >= 500, "several hundred spellings");
    let mut suite = Object::new();
    suite.insert("suite", Value::string("urls"));
    suite.insert("cases", Value::array(cases));
    let text = json::stringify(&Value::object(suite));
    // One case per line keeps diffs of the generated file readable.
    let text = text.replace("},{\"name\"", "},\n{\"name\"") + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/urls.json");
    if std::env::var_os("CALHOOK_UPDATE_GENERATED").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "tests/vectors/urls.json is out of date: run CALHOOK_UPDATE_GENERATED=1 cargo test --features url --test url_hosts"
    );
}

/// Without the `url` feature, the conservative reader must never call public a URL that WHATWG
/// URL reads as a special host, nor read a different host than WHATWG does.
#[test]
fn conservative_reader_fails_closed() {
    for url in spellings() {
        let Some(cons) = read_url_conservative(&url) else {
            continue;
        };
        // A URL fetch refuses is harmless whatever it reads (nothing is ever sent to it).
        let Some(real) = read_url_whatwg(&url) else {
            continue;
        };
        assert_eq!(
            classify_host(&cons.host).is_special(),
            classify_host(&real.host).is_special(),
            "{url}: conservative host {} vs WHATWG host {}",
            cons.host,
            real.host
        );
        assert_eq!(cons.scheme, real.scheme, "{url}");
    }
}

/// The issue's examples, with the verdict each must get.
#[test]
fn issue_examples() {
    let private = ["PRIVATE_HOST".to_string()];
    let insecure_private = ["INSECURE_URL".to_string(), "PRIVATE_HOST".to_string()];
    for url in [
        "http://１２７.0.0.1",
        "http://①②⑦.0.0.1",
        "http://127。0。0。1",
        "http://%31%32%37.0.0.1",
        "http://ⓛocalhost",
        "http://127.0.0.1\\@evil.com",
        "http://100.64.0.1",
        "http://198.18.0.1",
        "http://224.0.0.1",
        "http://255.255.255.255",
        "http://[64:ff9b::7f00:1]",
        "http://[::127.0.0.1]",
    ] {
        assert_eq!(subscriber_codes(url), insecure_private, "{url}");
    }
    assert_eq!(
        subscriber_codes("http://evil.com\\@127.0.0.1"),
        ["INSECURE_URL".to_string()],
        "host evil.com: not private"
    );
    assert_eq!(
        subscriber_codes("https://[fec0::1]/hook"),
        private,
        "site-local"
    );
    assert!(subscriber_codes("https://example.com/hook").is_empty());
    // The base URL that sent the API key elsewhere, and path segments that were path syntax.
    assert_eq!(
        base_verdict("https://evil.example\\.api.cal.com")
            .get("error")
            .and_then(Value::as_str),
        Some("INVALID_BASE_URL")
    );
    for (scope, id) in [
        (WebhookScope::EventType("..".into()), Some("abc")),
        (WebhookScope::User, Some("..")),
        (WebhookScope::User, Some(".")),
        (WebhookScope::Organization(" .. ".into()), Some("abc")),
    ] {
        let err = webhook_request(WebhookOp::Get, &scope, id, None, "cal_test_x", None)
            .expect_err("dot segments are refused");
        assert_eq!(err.code.as_str(), "INVALID_ID");
    }
    let ok = webhook_request(
        WebhookOp::Get,
        &WebhookScope::EventType("a/b?c#d%2e".into()),
        Some("..."),
        None,
        "cal_test_x",
        None,
    )
    .unwrap();
    assert_eq!(
        ok.url,
        "https://api.cal.com/v2/event-types/a%2Fb%3Fc%23d%252e/webhooks/..."
    );
}
