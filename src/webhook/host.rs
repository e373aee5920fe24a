//! Reading webhook URLs as `fetch` reads them, and classifying their hosts.
//!
//! Cal.com delivers with `fetch`, which parses URLs by the WHATWG URL Standard: it maps
//! fullwidth and circled digits and ideographic full stops (IDNA), decodes percent-encoded
//! hosts, treats `\` as `/`, accepts IPv4 in hex, octal and shortened forms. A hand-written
//! splitter disagrees with it on all of those, so a check built on one can be walked around.
//! Here a URL is read by a real WHATWG parser — the runtime's `URL` in the wasm build
//! (src/wasm/url.rs), the `url` crate natively with the `url` feature — and only the host it
//! produces (a serialized WHATWG host) is classified, against the IANA IPv4 and IPv6
//! Special-Purpose Address Registries, the multicast ranges and the local-only names.
//!
//! Without the `url` feature, native builds use [`read_url_conservative`]: exact for plain
//! ASCII URLs, and refusing (as unreadable) anything a WHATWG parser would rewrite.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The parts of an absolute URL the webhook checks need, as a WHATWG URL parser produced them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlParts {
    /// The scheme, lowercase, without `:` (`https`).
    pub scheme: String,
    /// The serialized host: an ASCII (punycode) domain, dotted-decimal IPv4, or `[IPv6]`.
    pub host: String,
    /// A username or password is present.
    pub has_credentials: bool,
    /// The serialized URL (`href`).
    pub href: String,
}

/// A URL reader: `None` when the text is not an absolute URL with a host.
pub type ReadUrl = fn(&str) -> Option<UrlParts>;

/// Why a host is not a public destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostClass {
    /// A globally reachable address or an ordinary domain name.
    Public,
    /// Not public; the text names the registry entry or rule (`"loopback (127.0.0.0/8)"`).
    Special(&'static str),
}

impl HostClass {
    /// True for every class but [`HostClass::Public`].
    pub fn is_special(&self) -> bool {
        !matches!(self, HostClass::Public)
    }
}

/// The default reader: WHATWG URL via the `url` crate with the `url` feature, else
/// [`read_url_conservative`].
pub fn read_url(url: &str) -> Option<UrlParts> {
    #[cfg(feature = "url")]
    {
        read_url_whatwg(url)
    }
    #[cfg(not(feature = "url"))]
    {
        read_url_conservative(url)
    }
}

/// WHATWG URL parsing by the `url` crate (feature `url`).
#[cfg(feature = "url")]
pub fn read_url_whatwg(url: &str) -> Option<UrlParts> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?.to_string();
    if host.is_empty() {
        return None;
    }
    Some(UrlParts {
        scheme: parsed.scheme().to_string(),
        host,
        has_credentials: !parsed.username().is_empty() || parsed.password().is_some(),
        href: parsed.as_str().to_string(),
    })
}

/// A reader without a WHATWG parser: reads `scheme://[userinfo@]host[:port][/...]` where
/// everything up to the path is printable ASCII without `%` or `\`, and returns `None` (not
/// readable) for anything else, so no spelling can mean one host here and another to `fetch`.
/// IPv4 hosts in the shortened, hex and octal forms are kept as written; [`classify_host`]
/// reads them as WHATWG does.
pub fn read_url_conservative(url: &str) -> Option<UrlParts> {
    if url.is_empty() || !url.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains(['%', '\\']) {
        return None;
    }
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        let (inside, after) = v6.split_once(']')?;
        if !(after.is_empty() || port_ok(after.strip_prefix(':')?)) {
            return None;
        }
        inside.parse::<Ipv6Addr>().ok()?;
        format!("[{}]", inside.to_ascii_lowercase())
    } else {
        let h = match host_port.split_once(':') {
            Some((h, port)) if port_ok(port) => h,
            Some(_) => return None,
            None => host_port,
        };
        if !h
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        {
            return None;
        }
        h.to_ascii_lowercase()
    };
    if host.is_empty() {
        return None;
    }
    Some(UrlParts {
        scheme: scheme.to_ascii_lowercase(),
        host,
        has_credentials: userinfo.is_some_and(|u| !u.is_empty() && u != ":"),
        href: url.to_string(),
    })
}

/// A URL for an error message: at most 80 characters, and without anything before an `@`
/// (userinfo can hold a password or a key; an unparseable URL is redacted the same way).
pub fn shown_url(url: &str) -> String {
    match url.rfind('@') {
        Some(at) => {
            let rest: String = url[at + 1..].chars().take(80).collect();
            format!("(userinfo removed)@{rest}")
        }
        None => url.chars().take(80).collect(),
    }
}

fn port_ok(port: &str) -> bool {
    port.is_empty() || (port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()))
}

/// True for hosts that are not public destinations (see [`classify_host`]).
pub fn is_private_host(host: &str) -> bool {
    classify_host(host).is_special()
}

/// Classify a host as a WHATWG URL parser serializes it (`example.com`, `127.0.0.1`,
/// `[::1]`; a bare IPv6 address and the numeric IPv4 forms `127.1`, `0x7f.1`, `2130706433`
/// are read too).
///
/// Not public: `localhost` and `*.localhost` (RFC 6761), `*.local` (mDNS), `*.internal`,
/// `*.home.arpa` (RFC 8375), `*.localdomain`, single-label names (they resolve through local
/// search domains), and every IPv4/IPv6 address the IANA special-purpose registries mark as not
/// globally reachable, plus multicast; IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64
/// (64:ff9b::/96) and 6to4 (2002::/16) addresses are classified by the IPv4 address they carry.
pub fn classify_host(host: &str) -> HostClass {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Some(inside) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return match inside.parse::<Ipv6Addr>() {
            Ok(v6) => classify_ipv6(v6),
            Err(_) => HostClass::Special("not a valid IPv6 address"),
        };
    }
    if let Ok(v6) = host.parse::<Ipv6Addr>() {
        return classify_ipv6(v6);
    }
    if let Some(v4) = whatwg_ipv4(&host) {
        return classify_ipv4(v4);
    }
    classify_name(&host)
}

fn classify_name(host: &str) -> HostClass {
    if host.is_empty() {
        return HostClass::Special("empty host");
    }
    let last = host.rsplit('.').next().unwrap_or(host);
    if host == "localhost" || last == "localhost" {
        return HostClass::Special("localhost (RFC 6761)");
    }
    if last == "local" {
        return HostClass::Special("multicast DNS name (.local)");
    }
    if last == "internal" {
        return HostClass::Special("private-use name (.internal)");
    }
    if last == "localdomain" {
        return HostClass::Special("local name (.localdomain)");
    }
    if host == "home.arpa" || host.ends_with(".home.arpa") {
        return HostClass::Special("home network name (home.arpa, RFC 8375)");
    }
    if !host.contains('.') {
        return HostClass::Special("single-label name (resolved through local search domains)");
    }
    HostClass::Public
}

/// IANA IPv4 Special-Purpose Address Registry entries that are not globally reachable, the
/// multicast range and the limited broadcast address; (network, prefix length, name).
const IPV4_SPECIAL: &[([u8; 4], u8, &str)] = &[
    ([0, 0, 0, 0], 8, "\"this network\" (0.0.0.0/8)"),
    ([10, 0, 0, 0], 8, "private-use (10.0.0.0/8)"),
    ([100, 64, 0, 0], 10, "shared address space (100.64.0.0/10)"),
    ([127, 0, 0, 0], 8, "loopback (127.0.0.0/8)"),
    ([169, 254, 0, 0], 16, "link-local (169.254.0.0/16)"),
    ([172, 16, 0, 0], 12, "private-use (172.16.0.0/12)"),
    (
        [192, 0, 0, 0],
        24,
        "IETF protocol assignments (192.0.0.0/24)",
    ),
    ([192, 0, 2, 0], 24, "documentation (192.0.2.0/24)"),
    (
        [192, 88, 99, 0],
        24,
        "deprecated 6to4 relay anycast (192.88.99.0/24)",
    ),
    ([192, 168, 0, 0], 16, "private-use (192.168.0.0/16)"),
    ([198, 18, 0, 0], 15, "benchmarking (198.18.0.0/15)"),
    ([198, 51, 100, 0], 24, "documentation (198.51.100.0/24)"),
    ([203, 0, 113, 0], 24, "documentation (203.0.113.0/24)"),
    ([224, 0, 0, 0], 4, "multicast (224.0.0.0/4)"),
    ([240, 0, 0, 0], 4, "reserved (240.0.0.0/4)"),
    (
        [255, 255, 255, 255],
        32,
        "limited broadcast (255.255.255.255)",
    ),
];

/// Classify an IPv4 address.
pub fn classify_ipv4(addr: Ipv4Addr) -> HostClass {
    let a = u32::from(addr);
    for (net, len, name) in IPV4_SPECIAL {
        let mask = u32::MAX.checked_shl(32 - u32::from(*len)).unwrap_or(0);
        if a & mask == u32::from_be_bytes(*net) & mask {
            return HostClass::Special(name);
        }
    }
    HostClass::Public
}

/// Globally reachable exceptions inside IPv6 ranges that are otherwise special (IANA registry
/// "Globally Reachable: True"): (network, prefix length).
const IPV6_GLOBAL: &[(u128, u8)] = &[
    (0x2001_0001_0000_0000_0000_0000_0000_0001, 128), // PCP anycast
    (0x2001_0001_0000_0000_0000_0000_0000_0002, 128), // TURN anycast
    (0x2001_0003_0000_0000_0000_0000_0000_0000, 32),  // AMT
    (0x2001_0004_0112_0000_0000_0000_0000_0000, 48),  // AS112-v6
    (0x2001_0020_0000_0000_0000_0000_0000_0000, 28),  // ORCHIDv2
    (0x2001_0030_0000_0000_0000_0000_0000_0000, 28),  // drone remote ID
];

/// IANA IPv6 Special-Purpose Address Registry entries that are not globally reachable, and
/// other ranges outside global unicast; (network, prefix length, name).
const IPV6_SPECIAL: &[(u128, u8, &str)] = &[
    (
        0x0100_0000_0000_0000_0000_0000_0000_0000,
        64,
        "discard-only (100::/64)",
    ),
    (
        0x0100_0000_0000_0001_0000_0000_0000_0000,
        64,
        "dummy prefix (100:0:0:1::/64)",
    ),
    (
        0x0064_ff9b_0001_0000_0000_0000_0000_0000,
        48,
        "local-use IPv4/IPv6 translation (64:ff9b:1::/48)",
    ),
    (
        0x2001_0000_0000_0000_0000_0000_0000_0000,
        32,
        "Teredo (2001::/32)",
    ),
    (
        0x2001_0000_0000_0000_0000_0000_0000_0000,
        23,
        "IETF protocol assignments (2001::/23)",
    ),
    (
        0x2001_0db8_0000_0000_0000_0000_0000_0000,
        32,
        "documentation (2001:db8::/32)",
    ),
    (
        0x3fff_0000_0000_0000_0000_0000_0000_0000,
        20,
        "documentation (3fff::/20)",
    ),
    (
        0x5f00_0000_0000_0000_0000_0000_0000_0000,
        16,
        "segment routing SIDs (5f00::/16)",
    ),
    (
        0xfc00_0000_0000_0000_0000_0000_0000_0000,
        7,
        "unique local (fc00::/7)",
    ),
    (
        0xfe80_0000_0000_0000_0000_0000_0000_0000,
        10,
        "link-local (fe80::/10)",
    ),
    (
        0xfec0_0000_0000_0000_0000_0000_0000_0000,
        10,
        "deprecated site-local (fec0::/10)",
    ),
    (
        0xff00_0000_0000_0000_0000_0000_0000_0000,
        8,
        "multicast (ff00::/8)",
    ),
];

fn in_prefix(a: u128, net: u128, len: u8) -> bool {
    let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
    a & mask == net & mask
}

/// Classify an IPv6 address; forms that carry an IPv4 address are classified by it.
pub fn classify_ipv6(addr: Ipv6Addr) -> HostClass {
    let a = u128::from(addr);
    let low_v4 = Ipv4Addr::from((a & 0xffff_ffff) as u32);
    if a == 1 {
        return HostClass::Special("loopback (::1)");
    }
    if a == 0 {
        return HostClass::Special("unspecified (::)");
    }
    // ::ffff:0:0/96 (mapped) and ::ffff:0:0:0/96 (translated, RFC 2765) reach the IPv4 address.
    if in_prefix(a, 0xffff_0000_0000, 96) || in_prefix(a, 0xffff_0000_0000_0000, 96) {
        return carried(
            classify_ipv4(low_v4),
            "IPv4-mapped address of a non-public IPv4 host",
        );
    }
    // ::/96, IPv4-compatible (deprecated by RFC 4291): never a public destination.
    if in_prefix(a, 0, 96) {
        return HostClass::Special("deprecated IPv4-compatible address (::/96)");
    }
    // NAT64 well-known prefix: the translator forwards to the embedded IPv4 address.
    if in_prefix(a, 0x0064_ff9b_0000_0000_0000_0000_0000_0000, 96) {
        return carried(
            classify_ipv4(low_v4),
            "NAT64 address (64:ff9b::/96) of a non-public IPv4 host",
        );
    }
    // 6to4: the relay forwards to the IPv4 address in bits 16..48.
    if in_prefix(a, 0x2002_0000_0000_0000_0000_0000_0000_0000, 16) {
        let v4 = Ipv4Addr::from(((a >> 80) & 0xffff_ffff) as u32);
        return carried(
            classify_ipv4(v4),
            "6to4 address (2002::/16) of a non-public IPv4 host",
        );
    }
    if IPV6_GLOBAL
        .iter()
        .any(|(net, len)| in_prefix(a, *net, *len))
    {
        return HostClass::Public;
    }
    for (net, len, name) in IPV6_SPECIAL {
        if in_prefix(a, *net, *len) {
            return HostClass::Special(name);
        }
    }
    // Only 2000::/3 is allocated as global unicast; the rest is reserved by the IETF.
    if in_prefix(a, 0x2000_0000_0000_0000_0000_0000_0000_0000, 3) {
        HostClass::Public
    } else {
        HostClass::Special("reserved by the IETF (outside 2000::/3)")
    }
}

fn carried(inner: HostClass, name: &'static str) -> HostClass {
    match inner {
        HostClass::Public => HostClass::Public,
        HostClass::Special(_) => HostClass::Special(name),
    }
}

/// The IPv4 address a host names under WHATWG URL parsing: one to four dot-separated numbers
/// (a single trailing dot allowed), each decimal, `0x` hex or `0`-prefixed octal, the last one
/// filling the remaining bytes (`127.1`, `0x7f000001`, `2130706433` and `0177.0.0.1` are all
/// 127.0.0.1). `None` when the host is not such a number.
pub fn whatwg_ipv4(host: &str) -> Option<Ipv4Addr> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = host.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let mut numbers = Vec::with_capacity(parts.len());
    for part in &parts {
        let (digits, radix) =
            if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
                (hex, 16)
            } else if let Some(octal) = part.strip_prefix('0').filter(|o| !o.is_empty()) {
                (octal, 8)
            } else {
                (*part, 10)
            };
        if part.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let digits = digits.trim_start_matches('0');
        if digits.len() > 16 {
            return None;
        }
        let n = if digits.is_empty() {
            0
        } else {
            u64::from_str_radix(digits, radix).ok()?
        };
        numbers.push(n);
    }
    let (last, init) = numbers.split_last()?;
    if init.iter().any(|&n| n > 255) || *last >= 1u64 << (8 * (5 - numbers.len())) {
        return None;
    }
    let mut addr = *last;
    for (i, n) in init.iter().enumerate() {
        addr += n << (8 * (3 - i));
    }
    Some(Ipv4Addr::from(u32::try_from(addr).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conservative_reader() {
        let p = read_url_conservative("https://user:pw@Example.COM:8443/x?y#z").unwrap();
        assert_eq!(p.scheme, "https");
        assert_eq!(p.host, "example.com");
        assert!(p.has_credentials);
        assert_eq!(
            read_url_conservative("http://[::1]:3000/").map(|p| p.host),
            Some("[::1]".into())
        );
        for bad in [
            "https:///path",
            "https://a b.test/",
            "example.com/hook",
            "http://127.0.0.1\\@evil.com",
            "http://%31%32%37.0.0.1",
            "http://１２７.0.0.1",
            "http://127。0。0。1",
            "http://ⓛocalhost",
            "http://x:port/",
        ] {
            assert!(read_url_conservative(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn shown_urls_drop_userinfo() {
        assert_eq!(
            shown_url("https://user:hunter2@example.com/x"),
            "(userinfo removed)@example.com/x"
        );
        assert_eq!(shown_url("https://a@b@c d"), "(userinfo removed)@c d");
        assert_eq!(shown_url("https://example.com"), "https://example.com");
    }

    #[test]
    fn special_hosts() {
        for h in [
            "localhost",
            "api.localhost",
            "localhost.",
            "printer.local",
            "svc.internal",
            "router.home.arpa",
            "intranet",
            "1e3",
            "127.0.0.1",
            "10.1.2.3",
            "100.64.0.1",
            "100.127.255.255",
            "172.16.0.1",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "169.254.169.254",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "0.0.0.0",
            "[::1]",
            "::1",
            "[::]",
            "[fd00::1]",
            "[fe80::1]",
            "[fec0::1]",
            "[ff02::1]",
            "[::ffff:10.0.0.1]",
            "[::ffff:7f00:1]",
            "[::127.0.0.1]",
            "[::8.8.8.8]",
            "[64:ff9b::7f00:1]",
            "[64:ff9b::a00:1]",
            "[64:ff9b:1::1]",
            "[2002:7f00:1::]",
            "[2001::1]",
            "[2001:db8::1]",
            "[3fff::1]",
            "[100::1]",
            "[5f00::1]",
            "[4000::1]",
            "168450826",
            "127.1",
            "0x7f000001",
            "0X7F.0.0.1",
            "2130706433",
            "0177.0.0.1",
            "127.0.0.1.",
            "0x",
        ] {
            assert!(classify_host(h).is_special(), "{h}");
        }
        for h in [
            "example.com",
            "example.com.",
            "xn--mnchen-3ya.de",
            "local.example.com",
            "127.0.0.1.nip.io",
            "172.32.0.1",
            "100.128.0.1",
            "198.20.0.1",
            "192.0.1.1",
            "8.8.8.8",
            "1.1.1.1",
            "134744072",
            "8.0x8.2056",
            "[2606:4700::1111]",
            "[64:ff9b::808:808]",
            "[2002:808:808::1]",
            "[2001:4860:4860::8888]",
            "[2001:3::1]",
            "1.2.3.4.5",
            "127.0.0.256",
            "09.0.0.1",
        ] {
            assert_eq!(classify_host(h), HostClass::Public, "{h}");
        }
    }
}
