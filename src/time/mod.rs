//! Dates and times, without a time-zone database: the proleptic Gregorian calendar, the
//! RFC 3339 date-times payloads carry ([`is_date_time`], [`date_time_ms`], [`iso_from_ms`]),
//! and the UTC offsets of the zones whose rules need no database ([`zone`]).
//!
//! A leaf module: it depends on nothing else in the crate, so both the event model and the
//! delivery emulator use it without depending on each other.

pub mod zone;

pub use zone::{fixed_utc_offset, utc_offset_at};

/// True for an RFC 3339 / ISO-8601 date-time: `YYYY-MM-DDTHH:MM[:SS[.fff…]](Z|±HH:MM)`.
/// Lowercase `t`/`z` and a space separator are accepted too (RFC 3339 allows them).
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        let part = b.get(from..from + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(
            part.iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')),
        )
    };
    let check = || -> Option<()> {
        let _year = digits(0, 4)?;
        (b.get(4) == Some(&b'-')).then_some(())?;
        let month = digits(5, 2)?;
        (b.get(7) == Some(&b'-')).then_some(())?;
        let day = digits(8, 2)?;
        matches!(b.get(10), Some(b'T' | b't' | b' ')).then_some(())?;
        let hour = digits(11, 2)?;
        (b.get(13) == Some(&b':')).then_some(())?;
        let minute = digits(14, 2)?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
            return None;
        }
        let mut i = 16;
        if b.get(i) == Some(&b':') {
            let second = digits(i + 1, 2)?;
            if second > 60 {
                return None;
            }
            i += 3;
            if b.get(i) == Some(&b'.') {
                let start = i + 1;
                i = start;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                if i == start {
                    return None;
                }
            }
        }
        match b.get(i) {
            Some(b'Z' | b'z') if i + 1 == b.len() => Some(()),
            Some(b'+' | b'-') => {
                let oh = digits(i + 1, 2)?;
                (b.get(i + 3) == Some(&b':')).then_some(())?;
                let om = digits(i + 4, 2)?;
                (oh <= 23 && om <= 59 && i + 6 == b.len()).then_some(())
            }
            _ => None,
        }
    };
    check().is_some()
}

/// Milliseconds since the epoch for a date-time accepted by [`is_date_time`], as JS `Date.parse`.
pub fn date_time_ms(s: &str) -> Option<f64> {
    if !is_date_time(s) {
        return None;
    }
    // `is_date_time` checked every position read below: ASCII digits where digits are read, so
    // plain byte arithmetic (no `str::parse`, whose generic code is larger) gives the numbers.
    let bytes = s.as_bytes();
    let num = |from: usize, n: usize| -> i64 {
        bytes
            .iter()
            .skip(from)
            .take(n)
            .fold(0, |acc, d| acc * 10 + i64::from(d.wrapping_sub(b'0')))
    };
    let (y, mo, d) = (num(0, 4), num(5, 2), num(8, 2));
    let (h, mi) = (num(11, 2), num(14, 2));
    let mut i = 16;
    let mut sec = 0i64;
    let mut millis = 0f64;
    if bytes.get(i) == Some(&b':') {
        sec = num(17, 2);
        i = 19;
        if bytes.get(i) == Some(&b'.') {
            let start = i + 1;
            i = start;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            // The first three fraction digits, padded with zeros (`.5` is 500 ms).
            let first3 = (start..start + 3).fold(0u16, |acc, at| {
                let digit = bytes.get(at).filter(|_| at < i).map_or(0, |d| d - b'0');
                acc * 10 + u16::from(digit)
            });
            millis = f64::from(first3);
        }
    }
    let offset_min = match bytes.get(i) {
        Some(b'+' | b'-') => {
            let sign = if bytes.get(i) == Some(&b'-') { -1 } else { 1 };
            sign * (num(i + 1, 2) * 60 + num(i + 4, 2))
        }
        _ => 0,
    };
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    Some(secs as f64 * 1000.0 + millis)
}

/// ISO-8601 string with milliseconds and `Z` for epoch milliseconds, as JS `toISOString`
/// (years 0–9999 only; `None` outside).
pub fn iso_from_ms(ms: f64) -> Option<String> {
    if !ms.is_finite() {
        return None;
    }
    let total = ms.floor() as i64;
    let millis = total.rem_euclid(1000);
    let secs = total.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return None;
    }
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// Days in `month` (1–12) of `year`.
pub(crate) fn days_in_month(year: i64, month: i64) -> i64 {
    days_from_civil(year + i64::from(month == 12), month % 12 + 1, 1)
        - days_from_civil(year, month, 1)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a day count since 1970-01-01 (proleptic Gregorian).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times() {
        for ok in [
            "2024-01-15T10:00:00.000Z",
            "2024-01-15T10:00:00Z",
            "2024-01-15T10:00Z",
            "2024-01-15T10:00:00+01:00",
            "2024-01-15T10:00:00.123456-05:30",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "",
            "2024-01-15",
            "2024-13-15T10:00:00Z",
            "2024-01-15T10:00:00",
            "2024-01-15T10:00:00.Z",
            "15/01/2024",
            "2024-01-15T10:00:00Zjunk",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn date_time_round_trip() {
        let ms = date_time_ms("2024-01-15T10:00:00.000Z");
        assert_eq!(ms, Some(1_705_312_800_000.0));
        assert_eq!(date_time_ms("2024-01-15T11:00:00.000+01:00"), ms);
        assert_eq!(
            iso_from_ms(1_705_312_800_123.0).as_deref(),
            Some("2024-01-15T10:00:00.123Z")
        );
        assert_eq!(
            iso_from_ms(0.0).as_deref(),
            Some("1970-01-01T00:00:00.000Z")
        );
        assert_eq!(iso_from_ms(f64::NAN), None);
    }
}
