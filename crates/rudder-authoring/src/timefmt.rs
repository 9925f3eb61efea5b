//! The few `time.Time` behaviours packaging observes: file modification
//! times (rounded to the second as Go's `archive/tar` writer does), and
//! `Chart.lock`'s `generated` field, which Go parses as RFC 3339 and prints
//! back as RFC 3339 with nanoseconds (trailing zeros trimmed, `Z` for a
//! zero offset).

use std::time::{SystemTime, UNIX_EPOCH};

/// A point in time as Go's `time.Time` holds it for our purposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModTime {
    /// Seconds since the Unix epoch (negative before it).
    pub secs: i64,
    /// Nanoseconds within the second.
    pub nanos: u32,
}

impl ModTime {
    /// The current time.
    pub fn now() -> ModTime {
        ModTime::from_system(SystemTime::now())
    }

    /// A `SystemTime` (a file's mtime).
    pub fn from_system(t: SystemTime) -> ModTime {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => ModTime {
                secs: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                nanos: d.subsec_nanos(),
            },
            Err(e) => {
                let d = e.duration();
                let secs = -i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() == 0 {
                    ModTime { secs, nanos: 0 }
                } else {
                    ModTime {
                        secs: secs - 1,
                        nanos: 1_000_000_000 - d.subsec_nanos(),
                    }
                }
            }
        }
    }

    /// Go's `t.Round(time.Second).Unix()`: halves round up.
    pub fn rounded_secs(self) -> i64 {
        if self.nanos >= 500_000_000 {
            self.secs.saturating_add(1)
        } else {
            self.secs
        }
    }
}

/// A parsed RFC 3339 timestamp, keeping its written offset so it prints
/// back the way Go prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rfc3339 {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    /// Offset east of UTC, in seconds.
    offset: i64,
}

fn digits(s: &[u8], n: usize) -> Option<u32> {
    if s.len() < n || !s[..n].iter().all(u8::is_ascii_digit) {
        return None;
    }
    s[..n]
        .iter()
        .try_fold(0u32, |acc, &b| Some(acc * 10 + u32::from(b - b'0')))
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Rfc3339 {
    /// Go's strict RFC 3339 parse (what `time.Time.UnmarshalJSON` accepts).
    pub fn parse(s: &str) -> Option<Rfc3339> {
        let b = s.as_bytes();
        let year = i64::from(digits(b, 4)?);
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(10) != Some(&b'T') {
            return None;
        }
        let month = digits(&b[5..], 2)?;
        let day = digits(&b[8..], 2)?;
        let hour = digits(b.get(11..)?, 2)?;
        if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
            return None;
        }
        let minute = digits(&b[14..], 2)?;
        let second = digits(b.get(17..)?, 2)?;
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return None;
        }
        let mut i = 19;
        let mut nanos = 0u32;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return None;
            }
            let frac = &s[start..i];
            let mut padded: String = frac.chars().take(9).collect();
            while padded.len() < 9 {
                padded.push('0');
            }
            nanos = padded.parse().ok()?;
        }
        let offset = match b.get(i) {
            Some(b'Z') if i + 1 == b.len() => 0,
            Some(&sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
                let h = i64::from(digits(&b[i + 1..], 2)?);
                let m = i64::from(digits(&b[i + 4..], 2)?);
                if h > 23 || m > 59 {
                    return None;
                }
                let off = h * 3600 + m * 60;
                if sign == b'-' { -off } else { off }
            }
            _ => return None,
        };
        Some(Rfc3339 {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos,
            offset,
        })
    }

    /// The instant.
    pub fn mod_time(&self) -> ModTime {
        let days = days_from_civil(self.year, self.month, self.day);
        let secs = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - self.offset;
        ModTime {
            secs,
            nanos: self.nanos,
        }
    }

    /// Go's `time.RFC3339Nano` formatting of the parsed value.
    pub fn format_nano(&self) -> String {
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        if self.offset == 0 {
            out.push('Z');
        } else {
            let sign = if self.offset < 0 { '-' } else { '+' };
            let a = self.offset.abs();
            out.push_str(&format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trip_as_go_prints_it() {
        let t = Rfc3339::parse("2026-03-01T10:11:12.120Z").unwrap_or_else(|| unreachable!());
        assert_eq!(t.format_nano(), "2026-03-01T10:11:12.12Z");
        assert_eq!(t.mod_time().secs, 1_772_359_872);
        let t = Rfc3339::parse("2020-01-01T00:00:00+00:00").unwrap_or_else(|| unreachable!());
        assert_eq!(t.format_nano(), "2020-01-01T00:00:00Z");
        let t = Rfc3339::parse("2020-01-01T01:00:00+01:00").unwrap_or_else(|| unreachable!());
        assert_eq!(t.mod_time().secs, 1_577_836_800);
        assert_eq!(t.format_nano(), "2020-01-01T01:00:00+01:00");
        assert!(Rfc3339::parse("2020-13-01T00:00:00Z").is_none());
        assert!(Rfc3339::parse("2020-01-01 00:00:00Z").is_none());
    }

    #[test]
    fn rounding_is_go_round() {
        let t = ModTime {
            secs: 10,
            nanos: 500_000_000,
        };
        assert_eq!(t.rounded_secs(), 11);
        let t = ModTime {
            secs: 10,
            nanos: 499_999_999,
        };
        assert_eq!(t.rounded_secs(), 10);
    }
}
