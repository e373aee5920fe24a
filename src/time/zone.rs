//! The `utcOffset` Cal.com adds to organizer and attendees, for the zones whose rules need no
//! time-zone database.
//!
//! Cal.com computes `dayjs(startTime).tz(timeZone).utcOffset()`. This module reproduces that
//! for zones with a fixed offset and for the US/Canada and EU daylight-saving rules, which are
//! simple and have been stable for years (US/Canada since 2007, EU since 1996; the rule tables
//! here are used from 2011 and 2003 respectively, after the last zone-specific exceptions such
//! as Lithuania's DST-less 2002).
//! Anything else returns `None`: the caller keeps a given `utcOffset` or reports that it could
//! not compute one, and never guesses.

use super::{civil_from_days, days_from_civil, days_in_month};

/// The fixed UTC offset (minutes) of time zones that have had a single offset, without DST,
/// since at least 1996: `UTC`, `Etc/GMT±N`, `Asia/Kolkata`, `Asia/Tokyo`, …  `None` for every
/// other zone.
pub fn fixed_utc_offset(time_zone: &str) -> Option<i32> {
    if let Some(&(minutes, _)) = FIXED.iter().find(|(_, names)| listed(names, time_zone)) {
        return Some(minutes.into());
    }
    // Etc/GMT+N is UTC−N (POSIX sign convention), N in 0..=12 / 0..=14.
    let rest = time_zone.strip_prefix("Etc/GMT")?;
    let (sign, digits) = match rest.as_bytes().first()? {
        b'+' => (-1, rest.get(1..)?),
        b'-' => (1, rest.get(1..)?),
        _ => return None,
    };
    if digits.is_empty()
        || digits.len() > 2
        || digits.starts_with('0')
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let n: i32 = digits.parse().ok()?;
    if (sign < 0 && n > 12) || (sign > 0 && n > 14) {
        return None;
    }
    Some(sign * n * 60)
}

/// Whether `zone` is one of the space-separated `names`. (Tables of names rather than a
/// `match` on strings: that compiled to several KB of comparisons in the wasm.)
fn listed(names: &str, zone: &str) -> bool {
    names.split(' ').any(|name| name == zone)
}

/// The zones with a single offset (minutes) since at least 1996, by offset.
const FIXED: &[(i16, &str)] = &[
    (
        0,
        "UTC Etc/UTC Etc/UCT Etc/Universal Etc/Zulu Etc/GMT Etc/GMT0 Etc/GMT+0 Etc/GMT-0 \
         Etc/Greenwich GMT UCT Universal Zulu Greenwich GMT0 GMT+0 GMT-0",
    ),
    (330, "Asia/Kolkata Asia/Calcutta"),
    (540, "Asia/Tokyo Japan Asia/Seoul ROK"),
    (
        480,
        "Asia/Shanghai PRC Asia/Hong_Kong Asia/Taipei Asia/Singapore Asia/Kuala_Lumpur",
    ),
    (345, "Asia/Kathmandu Asia/Katmandu"),
    (240, "Asia/Dubai"),
    (180, "Asia/Riyadh"),
    (
        420,
        "Asia/Bangkok Asia/Jakarta Asia/Ho_Chi_Minh Asia/Saigon",
    ),
    (600, "Australia/Brisbane"),
    (-420, "America/Phoenix"),
    (-360, "America/Regina"),
    (-300, "America/Bogota America/Lima"),
    (-600, "Pacific/Honolulu"),
    (60, "Africa/Lagos"),
    (180, "Africa/Nairobi"),
    (120, "Africa/Johannesburg"),
];

#[derive(Clone, Copy)]
enum Rule {
    /// Last Sunday of March 01:00 UTC to last Sunday of October 01:00 UTC.
    Eu,
    /// Second Sunday of March 02:00 local standard time to first Sunday of November 02:00
    /// local daylight time.
    Us,
}

/// The zones this module knows with daylight-saving time: standard offset (minutes), rule.
const DST: &[(i16, Rule, &str)] = &[
    (
        0,
        Rule::Eu,
        "Europe/London Europe/Dublin Europe/Lisbon Europe/Guernsey Europe/Jersey \
         Europe/Isle_of_Man Atlantic/Canary Atlantic/Madeira Atlantic/Faroe GB Eire Portugal",
    ),
    (
        60,
        Rule::Eu,
        "Europe/Amsterdam Europe/Andorra Europe/Belgrade Europe/Berlin Europe/Bratislava \
         Europe/Brussels Europe/Budapest Europe/Copenhagen Europe/Gibraltar Europe/Ljubljana \
         Europe/Luxembourg Europe/Madrid Europe/Malta Europe/Monaco Europe/Oslo Europe/Paris \
         Europe/Prague Europe/Rome Europe/San_Marino Europe/Sarajevo Europe/Skopje \
         Europe/Stockholm Europe/Tirane Europe/Vaduz Europe/Vatican Europe/Vienna \
         Europe/Warsaw Europe/Zagreb Europe/Zurich Europe/Podgorica Africa/Ceuta \
         Arctic/Longyearbyen Poland CET",
    ),
    (
        120,
        Rule::Eu,
        "Europe/Athens Europe/Bucharest Europe/Helsinki Europe/Mariehamn Europe/Riga \
         Europe/Sofia Europe/Tallinn Europe/Vilnius Asia/Nicosia Europe/Nicosia EET",
    ),
    (
        -240,
        Rule::Us,
        "America/Halifax America/Moncton America/Glace_Bay Atlantic/Bermuda Canada/Atlantic",
    ),
    (
        -300,
        Rule::Us,
        "America/New_York America/Detroit America/Toronto America/Montreal America/Nassau \
         America/Indiana/Indianapolis America/Indianapolis America/Kentucky/Louisville \
         America/Louisville US/Eastern Canada/Eastern EST5EDT",
    ),
    (
        -360,
        Rule::Us,
        "America/Chicago America/Winnipeg America/Menominee America/Matamoros US/Central \
         Canada/Central CST6CDT",
    ),
    (
        -420,
        Rule::Us,
        "America/Denver America/Edmonton America/Boise US/Mountain Canada/Mountain MST7MDT",
    ),
    (
        -480,
        Rule::Us,
        "America/Los_Angeles America/Vancouver America/Tijuana US/Pacific Canada/Pacific PST8PDT",
    ),
    (
        -540,
        Rule::Us,
        "America/Anchorage America/Juneau America/Sitka US/Alaska",
    ),
];

/// Standard offset (minutes) and DST rule of the zones this module knows.
fn dst_zone(time_zone: &str) -> Option<(i32, Rule)> {
    DST.iter()
        .find(|(_, _, names)| listed(names, time_zone))
        .map(|&(minutes, rule, _)| (minutes.into(), rule))
}

/// `dayjs(startTime).tz(timeZone).utcOffset()` when it needs no time-zone database: fixed
/// zones (any `startTime`) and the US/EU rule zones (an ISO-8601 `startTime` with `Z` or an
/// offset, in 2011–2099 for US/Canada and 2003–2099 for the EU). `None` otherwise.
pub fn utc_offset_at(time_zone: &str, start_time: Option<&str>) -> Option<i32> {
    if let Some(fixed) = fixed_utc_offset(time_zone) {
        return Some(fixed);
    }
    let (standard, rule) = dst_zone(time_zone)?;
    let t = parse_instant(start_time?)?;
    let (year, _, _) = civil_from_days(t.div_euclid(86_400));
    let (start, end) = match rule {
        Rule::Eu if (2003..=2099).contains(&year) => (
            last_sunday(year, 3) * 86_400 + 3_600,
            last_sunday(year, 10) * 86_400 + 3_600,
        ),
        Rule::Us if (2011..=2099).contains(&year) => (
            nth_sunday(year, 3, 2) * 86_400 + 7_200 - i64::from(standard) * 60,
            nth_sunday(year, 11, 1) * 86_400 + 7_200 - i64::from(standard + 60) * 60,
        ),
        _ => return None,
    };
    Some(if t >= start && t < end {
        standard + 60
    } else {
        standard
    })
}

/// Seconds since the epoch of `YYYY-MM-DDTHH:MM[:SS[.fff…]](Z|±HH:MM)` (fraction truncated).
fn parse_instant(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(10) != Some(&b'T') {
        return None;
    }
    if b.get(13) != Some(&b':') {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute) = (num(11, 2)?, num(14, 2)?);
    let mut i = 16;
    let mut second = 0;
    if b.get(i) == Some(&b':') {
        second = num(i + 1, 2)?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let digits = b
                .get(i..)?
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if digits == 0 {
                return None;
            }
            i += digits;
        }
    }
    let offset = match b.get(i..)? {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), ..] if b.len() == i + 6 && b.get(i + 3) == Some(&b':') => {
            let minutes = num(i + 1, 2)? * 60 + num(i + 4, 2)?;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    if second > 59 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second - offset * 60)
}

/// 0 = Sunday.
fn weekday(days: i64) -> i64 {
    (days + 4).rem_euclid(7)
}

/// Day count of the `n`th Sunday of `month`.
fn nth_sunday(year: i64, month: i64, n: i64) -> i64 {
    let first = days_from_civil(year, month, 1);
    first + (7 - weekday(first)) % 7 + 7 * (n - 1)
}

/// Day count of the last Sunday of `month`.
fn last_sunday(year: i64, month: i64) -> i64 {
    let last = days_from_civil(year, month, days_in_month(year, month));
    last - weekday(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each name in one table once, and no empty name (a double space would list "").
    #[test]
    fn zone_tables_list_each_name_once() {
        let lists = FIXED
            .iter()
            .map(|(_, n)| *n)
            .chain(DST.iter().map(|(_, _, n)| *n));
        let mut names: Vec<&str> = lists.flat_map(|n| n.split(' ')).collect();
        assert!(names.iter().all(|n| !n.is_empty()));
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
        assert_eq!(dst_zone("Europe/Berlin").map(|(m, _)| m), Some(60));
        assert_eq!(fixed_utc_offset("Etc/Greenwich"), Some(0));
        assert_eq!(fixed_utc_offset("Etc/GMT-14"), Some(840));
    }

    #[test]
    fn calendar() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        assert_eq!(weekday(days_from_civil(2025, 3, 30)), 0);
        assert_eq!(civil_from_days(last_sunday(2025, 3)), (2025, 3, 30));
        assert_eq!(civil_from_days(nth_sunday(2025, 3, 2)), (2025, 3, 9));
        assert_eq!(civil_from_days(nth_sunday(2025, 11, 1)), (2025, 11, 2));
    }

    #[test]
    fn transitions() {
        let at = |tz, t| utc_offset_at(tz, Some(t));
        assert_eq!(at("Europe/London", "2025-03-30T00:59:59.999Z"), Some(0));
        assert_eq!(at("Europe/London", "2025-03-30T01:00:00Z"), Some(60));
        assert_eq!(at("Europe/Berlin", "2025-10-26T00:59:59Z"), Some(120));
        assert_eq!(at("Europe/Berlin", "2025-10-26T01:00:00Z"), Some(60));
        assert_eq!(at("America/New_York", "2025-03-09T06:59:59Z"), Some(-300));
        assert_eq!(at("America/New_York", "2025-03-09T07:00:00Z"), Some(-240));
        assert_eq!(at("America/New_York", "2025-11-02T05:59:59Z"), Some(-240));
        assert_eq!(at("America/New_York", "2025-11-02T06:00:00Z"), Some(-300));
        assert_eq!(
            at("America/New_York", "2025-07-01T12:00:00+02:00"),
            Some(-240)
        );
        assert_eq!(at("America/New_York", "2025-07-01"), None);
        assert_eq!(at("America/New_York", "2005-07-01T00:00:00Z"), None);
        assert_eq!(utc_offset_at("America/New_York", None), None);
        assert_eq!(utc_offset_at("Asia/Tokyo", None), Some(540));
        assert_eq!(
            utc_offset_at("Mars/Olympus", Some("2025-01-01T00:00:00Z")),
            None
        );
        assert_eq!(at("Europe/Paris", "2025-02-30T00:00:00Z"), None);
        assert_eq!(at("Europe/Paris", "2025-01-01T24:00:00Z"), None);
        assert_eq!(at("Europe/Paris", "2025-01-01T10:00:00.Z"), None);
        assert_eq!(at("Europe/Paris", "2025-01-01T10:00:00+0100"), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(zone in "\\PC{0,20}", time in "\\PC{0,40}") {
            let _ = utc_offset_at(&zone, Some(&time));
            let _ = parse_instant(&time);
        }
    }
}
