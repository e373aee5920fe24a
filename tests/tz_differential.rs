//! `calhook::delivery::utc_offset_at` against Node's `Intl` time-zone data (what dayjs-tz in
//! Cal.com uses), for every zone it claims to know, at every hour boundary (±1 s) of the
//! transition-prone Sundays (March, April, October, November) and at other instants,
//! 1996–2045. Instants outside a rule's year range must yield `None`, never a guess.

use calhook::delivery::utc_offset_at;
use std::io::Write;
use std::process::Command;

const ZONES: &[&str] = &[
    "UTC",
    "Etc/GMT",
    "Etc/GMT+5",
    "Etc/GMT-14",
    "Etc/GMT+12",
    "Asia/Kolkata",
    "Asia/Calcutta",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Kuala_Lumpur",
    "Asia/Kathmandu",
    "Asia/Dubai",
    "Asia/Riyadh",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Ho_Chi_Minh",
    "Australia/Brisbane",
    "America/Phoenix",
    "America/Regina",
    "America/Bogota",
    "America/Lima",
    "Pacific/Honolulu",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Africa/Johannesburg",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Guernsey",
    "Europe/Jersey",
    "Europe/Isle_of_Man",
    "Atlantic/Canary",
    "Atlantic/Madeira",
    "Atlantic/Faroe",
    "Europe/Amsterdam",
    "Europe/Andorra",
    "Europe/Belgrade",
    "Europe/Berlin",
    "Europe/Bratislava",
    "Europe/Brussels",
    "Europe/Budapest",
    "Europe/Copenhagen",
    "Europe/Gibraltar",
    "Europe/Ljubljana",
    "Europe/Luxembourg",
    "Europe/Madrid",
    "Europe/Malta",
    "Europe/Monaco",
    "Europe/Oslo",
    "Europe/Paris",
    "Europe/Prague",
    "Europe/Rome",
    "Europe/San_Marino",
    "Europe/Sarajevo",
    "Europe/Skopje",
    "Europe/Stockholm",
    "Europe/Tirane",
    "Europe/Vaduz",
    "Europe/Vatican",
    "Europe/Vienna",
    "Europe/Warsaw",
    "Europe/Zagreb",
    "Europe/Zurich",
    "Europe/Podgorica",
    "Africa/Ceuta",
    "Arctic/Longyearbyen",
    "Europe/Athens",
    "Europe/Bucharest",
    "Europe/Helsinki",
    "Europe/Mariehamn",
    "Europe/Riga",
    "Europe/Sofia",
    "Europe/Tallinn",
    "Europe/Vilnius",
    "Asia/Nicosia",
    "America/Halifax",
    "America/Moncton",
    "America/Glace_Bay",
    "Atlantic/Bermuda",
    "America/New_York",
    "America/Detroit",
    "America/Toronto",
    "America/Nassau",
    "America/Indiana/Indianapolis",
    "America/Kentucky/Louisville",
    "US/Eastern",
    "America/Chicago",
    "America/Winnipeg",
    "America/Menominee",
    "America/Matamoros",
    "US/Central",
    "America/Denver",
    "America/Edmonton",
    "America/Boise",
    "US/Mountain",
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Tijuana",
    "US/Pacific",
    "America/Anchorage",
    "America/Juneau",
    "America/Sitka",
    "US/Alaska",
    "GB",
    "Poland",
];

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn iso(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Civil date from days (inverse of days_from_civil), by search around an estimate.
    let mut year = 1970 + days.div_euclid(366);
    while days_from_civil(year + 1, 1, 1) <= days {
        year += 1;
    }
    let mut month = 1;
    while month < 12 && days_from_civil(year, month + 1, 1) <= days {
        month += 1;
    }
    let day = days - days_from_civil(year, month, 1) + 1;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[test]
fn utc_offsets_match_intl() {
    let mut instants = Vec::new();
    for year in 1996..=2045 {
        for month in [1, 3, 7, 10, 11] {
            for day in 1..=31 {
                let d = days_from_civil(year, month, day);
                if d >= days_from_civil(year + i64::from(month == 12), month % 12 + 1, 1) {
                    break;
                }
                // Sundays on which a transition can fall: 2nd Sunday of March (8–14), last
                // Sundays of March and October (25–31), 1st Sunday of November (1–7).
                let candidate = match month {
                    3 => (8..=14).contains(&day) || day >= 25,
                    10 => day >= 25,
                    11 => day <= 7,
                    _ => false,
                };
                if (d + 4).rem_euclid(7) != 0 || !candidate {
                    if day == 15 {
                        instants.push(d * 86_400 + 43_200);
                    }
                    continue;
                }
                // Transitions: EU 01:00 UTC; US/Canada 02:00 local = 05:00–11:00 UTC.
                for hour in [0, 1, 2, 5, 6, 7, 8, 9, 10, 11] {
                    let t = d * 86_400 + hour * 3_600;
                    instants.push(t - 1);
                    instants.push(t);
                }
            }
        }
    }
    let instants: Vec<(i64, String)> = instants.into_iter().map(|t| (t, iso(t))).collect();
    let dir = std::env::temp_dir().join(format!("calhook-tz-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("instants.txt");
    let mut file = std::fs::File::create(&input).unwrap();
    let mut cases = Vec::new();
    for zone in ZONES {
        for (t, text) in &instants {
            let t = *t;
            if let Some(ours) = utc_offset_at(zone, Some(text)) {
                writeln!(file, "{zone} {t}").unwrap();
                cases.push((zone, t, ours));
            }
        }
    }
    drop(file);
    let output = dir.join("offsets.txt");
    // The oracle's getUTCOffsetByTimezone algorithm, with one formatter per zone for speed.
    let script = r#"
import { readFileSync, writeFileSync } from 'node:fs';
const [input, output] = process.argv.slice(1);
const formats = new Map();
function offset(timeZone, d) {
  let fmt = formats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric',
      month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(timeZone, fmt);
  }
  const p = Object.fromEntries(fmt.formatToParts(d).map((x) => [x.type, x.value]));
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return Math.round((wall - Math.floor(d.getTime() / 1000) * 1000) / 60000);
}
const out = readFileSync(input, 'utf8').split('\n').filter(Boolean).map((line) => {
  const [zone, t] = line.split(' ');
  return String(offset(zone, new Date(Number(t) * 1000)));
});
writeFileSync(output, out.join('\n') + '\n');
"#;
    let status = Command::new("node")
        .args(["--input-type=module", "-e", script])
        .arg(&input)
        .arg(&output)
        .status()
        .expect("node must be on PATH");
    assert!(status.success());
    let expected = std::fs::read_to_string(&output).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let mut failures = Vec::new();
    for ((zone, t, ours), node) in cases.iter().zip(expected.lines()) {
        if node != ours.to_string() {
            failures.push(format!("{zone} at {}: node {node}, ours {ours}", iso(*t)));
        }
    }
    eprintln!(
        "tz differential: {} (zone, instant) pairs, {} mismatches",
        cases.len(),
        failures.len()
    );
    assert_eq!(expected.lines().count(), cases.len());
    assert!(cases.len() > 100_000);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
