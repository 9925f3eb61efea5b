//! Time zones as Go's `time` package sees them: `Location`s read from the
//! system's TZif files, the `Local` zone chosen by `TZ`, and the zone
//! lookups (`lookup`, `lookupName`) that formatting and parsing rely on.
//!
//! This is written against Go's observable behaviour rather than taken from
//! a Rust time-zone crate, because Helm's output depends on Go's particular
//! choices: which zone applies before the first transition, how the POSIX
//! rule after the last transition is evaluated, which directories are
//! searched (and that the names are looked up case-sensitively on disk),
//! what `Local` is called (`Local`, the `TZ` value, or `UTC`), and the
//! fallback to UTC when `TZ` names nothing. The zone data itself always
//! comes from the machine (`ZONEINFO`, then `/usr/share/zoneinfo` and the
//! other Unix locations), exactly as for the Go binary; nothing is bundled
//! and nothing is fetched.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::civil;

/// One local time type of a zone (`EST`, -18000, not DST).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ZoneType {
    pub(crate) name: String,
    pub(crate) offset: i64,
    pub(crate) is_dst: bool,
}

/// A transition to `index` at Unix second `when`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Transition {
    when: i64,
    index: usize,
}

/// A named set of zone types and transitions: Go's `time.Location`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Location {
    pub(crate) name: String,
    zones: Vec<ZoneType>,
    tx: Vec<Transition>,
    /// The POSIX TZ rule that applies after the last transition.
    extend: String,
}

/// What `lookup` reports for an instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ZoneInfo {
    pub(crate) name: String,
    pub(crate) offset: i64,
    pub(crate) start: i64,
    pub(crate) end: i64,
    pub(crate) is_dst: bool,
}

const ALPHA: i64 = i64::MIN;
const OMEGA: i64 = i64::MAX;
const SECONDS_PER_DAY: i64 = 86_400;

impl Location {
    /// A location with one fixed offset (Go's `FixedZone`).
    pub(crate) fn fixed(name: &str, offset: i64) -> Location {
        Location {
            name: name.to_owned(),
            zones: vec![ZoneType {
                name: name.to_owned(),
                offset,
                is_dst: false,
            }],
            tx: vec![Transition {
                when: ALPHA,
                index: 0,
            }],
            extend: String::new(),
        }
    }

    /// A location with no zones: it reads as UTC (Go's `utcLoc`, and what
    /// `Local` becomes when `TZ` names nothing loadable).
    pub(crate) fn utc_named(name: &str) -> Location {
        Location {
            name: name.to_owned(),
            zones: Vec::new(),
            tx: Vec::new(),
            extend: String::new(),
        }
    }

    /// The zone in effect at Unix second `sec`.
    pub(crate) fn lookup(&self, sec: i64) -> ZoneInfo {
        if self.zones.is_empty() {
            return ZoneInfo {
                name: "UTC".to_owned(),
                offset: 0,
                start: ALPHA,
                end: OMEGA,
                is_dst: false,
            };
        }
        let first_when = self.tx.first().map(|t| t.when);
        if first_when.is_none_or(|w| sec < w) {
            let z = self.zone(self.lookup_first_zone());
            return ZoneInfo {
                name: z.name.clone(),
                offset: z.offset,
                start: ALPHA,
                end: first_when.unwrap_or(OMEGA),
                is_dst: z.is_dst,
            };
        }
        // The last transition at or before `sec`, and the next one after it.
        let idx = self.tx.partition_point(|t| t.when <= sec).saturating_sub(1);
        let end = self.tx.get(idx + 1).map_or(OMEGA, |t| t.when);
        let (start, zi) = self.tx.get(idx).map_or((ALPHA, 0), |t| (t.when, t.index));
        let z = self.zone(zi);
        if idx + 1 == self.tx.len()
            && !self.extend.is_empty()
            && let Some(info) = tzset(&self.extend, start, sec)
        {
            return info;
        }
        ZoneInfo {
            name: z.name.clone(),
            offset: z.offset,
            start,
            end,
            is_dst: z.is_dst,
        }
    }

    fn zone(&self, i: usize) -> ZoneType {
        self.zones.get(i).cloned().unwrap_or(ZoneType {
            name: "UTC".to_owned(),
            offset: 0,
            is_dst: false,
        })
    }

    /// Which zone applies before the first transition: the first zone if no
    /// transition uses it, else the standard-time zone nearest before the
    /// first transition's zone, else the first standard-time zone.
    fn lookup_first_zone(&self) -> usize {
        if !self.tx.iter().any(|t| t.index == 0) {
            return 0;
        }
        if let Some(first) = self.tx.first()
            && self.zones.get(first.index).is_some_and(|z| z.is_dst)
        {
            for zi in (0..first.index).rev() {
                if self.zones.get(zi).is_some_and(|z| !z.is_dst) {
                    return zi;
                }
            }
        }
        self.zones.iter().position(|z| !z.is_dst).unwrap_or(0)
    }

    /// The offset of the zone called `name` at the wall-clock instant
    /// `unix` (a local time read as if it were UTC), as Go's `lookupName`:
    /// prefer a zone of that name that is actually in effect then, else any
    /// zone of that name.
    pub(crate) fn lookup_name(&self, name: &str, unix: i64) -> Option<i64> {
        for z in self.zones.iter().filter(|z| z.name == name) {
            let info = self.lookup(unix.wrapping_sub(z.offset));
            if info.name == z.name {
                return Some(info.offset);
            }
        }
        self.zones.iter().find(|z| z.name == name).map(|z| z.offset)
    }

    /// Parse TZif data (RFC 8536, versions 1 to 3) as Go does.
    pub(crate) fn from_tzif(name: &str, data: &[u8]) -> Option<Location> {
        let mut d = Reader { p: data };
        if d.take(4)? != b"TZif" {
            return None;
        }
        let version = match d.take(16)?.first()? {
            0 => 1,
            b'2' => 2,
            b'3' => 3,
            _ => return None,
        };
        let mut n = d.counts()?;
        let mut size = 4;
        if version > 1 {
            // Skip the 32-bit block and the second header; the 64-bit block
            // covers a wider range.
            let skip = n.time * 4 + n.time + n.zone * 6 + n.chars + n.leap * 8 + n.std + n.utc;
            d.take(skip.checked_add(20)?)?;
            n = d.counts()?;
            size = 8;
        }
        let times = d.take(n.time.checked_mul(size)?)?;
        let indices = d.take(n.time)?;
        let zonedata = d.take(n.zone.checked_mul(6)?)?;
        let abbrev = d.take(n.chars)?;
        d.take(n.leap.checked_mul(size + 4)?)?;
        d.take(n.std)?;
        d.take(n.utc)?;
        let rest = d.p;
        let extend =
            if rest.len() > 2 && rest.first() == Some(&b'\n') && rest.last() == Some(&b'\n') {
                String::from_utf8_lossy(rest.get(1..rest.len() - 1)?).into_owned()
            } else {
                String::new()
            };
        if n.zone == 0 {
            return None;
        }
        let mut zones = Vec::with_capacity(n.zone);
        for chunk in zonedata.chunks_exact(6) {
            let off = i32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
            let ai = usize::from(chunk[5]);
            let name_bytes = abbrev.get(ai..)?;
            let end = name_bytes
                .iter()
                .position(|&b| b == 0)
                .unwrap_or(name_bytes.len());
            zones.push(ZoneType {
                name: String::from_utf8_lossy(name_bytes.get(..end)?).into_owned(),
                offset: i64::from(off),
                is_dst: chunk[4] != 0,
            });
        }
        let mut tx = Vec::with_capacity(n.time);
        for (i, &index) in indices.iter().enumerate() {
            let raw = times.get(i * size..(i + 1) * size)?;
            let when = if size == 4 {
                i64::from(i32::from_be_bytes(raw.try_into().ok()?))
            } else {
                i64::from_be_bytes(raw.try_into().ok()?)
            };
            let index = usize::from(index);
            if index >= zones.len() {
                return None;
            }
            tx.push(Transition { when, index });
        }
        if tx.is_empty() {
            tx.push(Transition {
                when: ALPHA,
                index: 0,
            });
        }
        Some(Location {
            name: name.to_owned(),
            zones,
            tx,
            extend,
        })
    }
}

struct Counts {
    utc: usize,
    std: usize,
    leap: usize,
    time: usize,
    zone: usize,
    chars: usize,
}

struct Reader<'a> {
    p: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.p.len() < n {
            return None;
        }
        let (head, tail) = self.p.split_at(n);
        self.p = tail;
        Some(head)
    }

    fn big4(&mut self) -> Option<usize> {
        let b = self.take(4)?;
        usize::try_from(u32::from_be_bytes(b.try_into().ok()?)).ok()
    }

    fn counts(&mut self) -> Option<Counts> {
        Some(Counts {
            utc: self.big4()?,
            std: self.big4()?,
            leap: self.big4()?,
            time: self.big4()?,
            zone: self.big4()?,
            chars: self.big4()?,
        })
    }
}

/// The zone a POSIX TZ rule (`EST5EDT,M3.2.0,M11.1.0`) gives for Unix
/// second `sec`; `init_end` is where the transition table ended.
fn tzset(s: &str, init_end: i64, sec: i64) -> Option<ZoneInfo> {
    let (std_name, s) = tzset_name(s)?;
    let (std_off, s) = tzset_offset(s)?;
    // POSIX offsets are west of UTC; ours are east.
    let std_offset = -std_off;
    if s.is_empty() || s.starts_with(',') {
        return Some(ZoneInfo {
            name: std_name.to_owned(),
            offset: std_offset,
            start: init_end,
            end: OMEGA,
            is_dst: false,
        });
    }
    let (dst_name, mut s) = tzset_name(s)?;
    let dst_offset = if s.is_empty() || s.starts_with(',') {
        std_offset + 3600
    } else {
        let (o, rest) = tzset_offset(s)?;
        s = rest;
        -o
    };
    let rules = if s.is_empty() { ",M3.2.0,M11.1.0" } else { s };
    let rules = rules.strip_prefix([',', ';'])?;
    let (start_rule, rest) = tzset_rule(rules)?;
    let rest = rest.strip_prefix(',')?;
    let (end_rule, rest) = tzset_rule(rest)?;
    if !rest.is_empty() {
        return None;
    }

    let days = sec.div_euclid(SECONDS_PER_DAY);
    let (year, _, _) = civil::civil_from_days(days);
    let year_start_days = civil::days_from_civil(year, 1, 1);
    let ysec = (days - year_start_days) * SECONDS_PER_DAY + sec.rem_euclid(SECONDS_PER_DAY);
    let abs = year_start_days.wrapping_mul(SECONDS_PER_DAY);

    let mut start_sec = tzrule_time(year, start_rule, std_offset);
    let mut end_sec = tzrule_time(year, end_rule, dst_offset);
    let (mut std_name, mut dst_name) = (std_name, dst_name);
    let (mut std_offset, mut dst_offset) = (std_offset, dst_offset);
    let (mut std_is_dst, mut dst_is_dst) = (false, true);
    // Southern hemisphere: the rule's "end" comes first in the year.
    if end_sec < start_sec {
        std::mem::swap(&mut start_sec, &mut end_sec);
        std::mem::swap(&mut std_name, &mut dst_name);
        std::mem::swap(&mut std_offset, &mut dst_offset);
        std::mem::swap(&mut std_is_dst, &mut dst_is_dst);
    }
    let info = |name: &str, offset, start, end, is_dst| ZoneInfo {
        name: name.to_owned(),
        offset,
        start,
        end,
        is_dst,
    };
    Some(if ysec < start_sec {
        info(
            std_name,
            std_offset,
            abs,
            start_sec.wrapping_add(abs),
            std_is_dst,
        )
    } else if ysec >= end_sec {
        info(
            std_name,
            std_offset,
            end_sec.wrapping_add(abs),
            abs.wrapping_add(365 * SECONDS_PER_DAY),
            std_is_dst,
        )
    } else {
        info(
            dst_name,
            dst_offset,
            start_sec + abs,
            end_sec + abs,
            dst_is_dst,
        )
    })
}

fn tzset_name(s: &str) -> Option<(&str, &str)> {
    if let Some(quoted) = s.strip_prefix('<') {
        let end = quoted.find('>')?;
        return Some((quoted.get(..end)?, quoted.get(end + 1..)?));
    }
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() || matches!(c, ',' | '-' | '+') {
            if i < 3 {
                return None;
            }
            return Some((s.get(..i)?, s.get(i..)?));
        }
    }
    if s.len() < 3 {
        return None;
    }
    Some((s, ""))
}

fn tzset_offset(s: &str) -> Option<(i64, &str)> {
    if s.is_empty() {
        return None;
    }
    let (neg, s) = match s.as_bytes().first() {
        Some(b'+') => (false, s.get(1..)?),
        Some(b'-') => (true, s.get(1..)?),
        _ => (false, s),
    };
    let (hours, mut s) = tzset_num(s, 0, 24 * 7)?;
    let mut off = hours * 3600;
    if let Some(rest) = s.strip_prefix(':') {
        let (mins, rest) = tzset_num(rest, 0, 59)?;
        off += mins * 60;
        s = rest;
        if let Some(rest) = s.strip_prefix(':') {
            let (secs, rest) = tzset_num(rest, 0, 59)?;
            off += secs;
            s = rest;
        }
    }
    Some((if neg { -off } else { off }, s))
}

#[derive(Clone, Copy)]
enum RuleKind {
    /// `Jn`: day 1..=365, February 29 never counted.
    Julian(i64),
    /// `n`: zero-based day of the year, February 29 counted.
    Doy(i64),
    /// `Mm.w.d`: day `d` of week `w` (5 = last) of month `m`.
    MonthWeekDay { mon: i64, week: i64, day: i64 },
}

#[derive(Clone, Copy)]
struct Rule {
    kind: RuleKind,
    /// Local time of day of the change, in seconds.
    time: i64,
}

fn tzset_rule(s: &str) -> Option<(Rule, &str)> {
    let (kind, rest) = match s.as_bytes().first()? {
        b'J' => {
            let (day, rest) = tzset_num(s.get(1..)?, 1, 365)?;
            (RuleKind::Julian(day), rest)
        }
        b'M' => {
            let (mon, rest) = tzset_num(s.get(1..)?, 1, 12)?;
            let (week, rest) = tzset_num(rest.strip_prefix('.')?, 1, 5)?;
            let (day, rest) = tzset_num(rest.strip_prefix('.')?, 0, 6)?;
            (RuleKind::MonthWeekDay { mon, week, day }, rest)
        }
        _ => {
            let (day, rest) = tzset_num(s, 0, 365)?;
            (RuleKind::Doy(day), rest)
        }
    };
    match rest.strip_prefix('/') {
        None => Some((
            Rule {
                kind,
                time: 2 * 3600,
            },
            rest,
        )),
        Some(r) => {
            let (time, r) = tzset_offset(r)?;
            Some((Rule { kind, time }, r))
        }
    }
}

fn tzset_num(s: &str, min: i64, max: i64) -> Option<(i64, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let mut num: i64 = 0;
    for b in s.bytes().take(digits) {
        num = num * 10 + i64::from(b - b'0');
        if num > max {
            return None;
        }
    }
    if num < min {
        return None;
    }
    Some((num, s.get(digits..)?))
}

/// Seconds from the start of `year` (UTC) at which `rule` takes effect,
/// given the offset in force before it.
fn tzrule_time(year: i64, rule: Rule, off: i64) -> i64 {
    let leap = civil::is_leap(year);
    let days = match rule.kind {
        RuleKind::Julian(day) => day - 1 + i64::from(leap && day >= 60),
        RuleKind::Doy(day) => day,
        RuleKind::MonthWeekDay { mon, week, day } => {
            let first = civil::days_from_civil(year, mon, 1);
            let dow = civil::weekday(first);
            let mut d = (day - dow).rem_euclid(7);
            for _ in 1..week {
                if d + 7 >= civil::days_in_month(mon, year) {
                    break;
                }
                d += 7;
            }
            first - civil::days_from_civil(year, 1, 1) + d
        }
    };
    days * SECONDS_PER_DAY + rule.time - off
}

/// The directories Go searches for zone files on Unix, after `ZONEINFO`.
const ZONE_SOURCES: [&str; 3] = [
    "/usr/share/zoneinfo/",
    "/usr/share/lib/zoneinfo/",
    "/usr/lib/locale/TZ/",
];

/// Go refuses to read zone files larger than this.
const MAX_FILE_SIZE: u64 = 10 << 20;

fn read_zone_file(path: &str) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_SIZE {
        return None;
    }
    std::fs::read(path).ok()
}

fn load_from_sources(name: &str, sources: &[&str]) -> Option<Location> {
    sources.iter().find_map(|dir| {
        let data = read_zone_file(&format!("{dir}{name}"))?;
        Location::from_tzif(name, &data)
    })
}

/// A `*time.Location` as values carry it. Go distinguishes UTC and Local
/// by pointer identity (`GoString` prints `time.UTC`/`time.Local`), so they
/// are variants rather than ordinary locations.
#[derive(Clone, Debug)]
pub(crate) enum Loc {
    Utc,
    Local,
    Zone(Arc<Location>),
}

impl Loc {
    pub(crate) fn lookup(&self, sec: i64) -> ZoneInfo {
        match self {
            Loc::Utc => Location::utc_named("UTC").lookup(sec),
            Loc::Local => local().lookup(sec),
            Loc::Zone(l) => l.lookup(sec),
        }
    }

    pub(crate) fn lookup_name(&self, name: &str, unix: i64) -> Option<i64> {
        match self {
            Loc::Utc => None,
            Loc::Local => local().lookup_name(name, unix),
            Loc::Zone(l) => l.lookup_name(name, unix),
        }
    }

    /// `Location.String()`.
    pub(crate) fn name(&self) -> String {
        match self {
            Loc::Utc => "UTC".to_owned(),
            Loc::Local => local().name.clone(),
            Loc::Zone(l) => l.name.clone(),
        }
    }
}

/// The process's `Local` zone, chosen once from `TZ` as Go's `initLocal`
/// does: unset means `/etc/localtime` (named `Local`), empty or `UTC` means
/// UTC, an absolute path (optionally after `:`) is read directly and the
/// location is named after it, any other value is looked up in the zone
/// directories; anything unloadable falls back to UTC.
pub(crate) fn local() -> &'static Location {
    static LOCAL: OnceLock<Location> = OnceLock::new();
    LOCAL.get_or_init(|| {
        // Go reads TZ too; rendering with `date` is machine-dependent in
        // Helm as well.
        match std::env::var_os("TZ") {
            None => {
                if let Some(mut l) = load_from_sources("localtime", &["/etc/"]) {
                    l.name = "Local".to_owned();
                    return l;
                }
            }
            Some(tz) => {
                let tz = tz.to_string_lossy().into_owned();
                let tz = tz.strip_prefix(':').unwrap_or(&tz);
                if tz.starts_with('/') {
                    if let Some(mut l) = load_from_sources(tz, &[""]) {
                        l.name = if tz == "/etc/localtime" { "Local" } else { tz }.to_owned();
                        return l;
                    }
                } else if !tz.is_empty()
                    && tz != "UTC"
                    && let Some(l) = load_from_sources(tz, &ZONE_SOURCES)
                {
                    return l;
                }
            }
        }
        Location::utc_named("UTC")
    })
}

/// Go's `time.LoadLocation`; `None` is an error (Sprig then uses UTC).
pub(crate) fn load_location(name: &str) -> Option<Loc> {
    if name.is_empty() || name == "UTC" {
        return Some(Loc::Utc);
    }
    if name == "Local" {
        return Some(Loc::Local);
    }
    if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
        return None;
    }
    // Each render may format thousands of dates; zone files are read once.
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Arc<Location>>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(guard) = cache.lock()
        && let Some(hit) = guard.get(name)
    {
        return hit.clone().map(Loc::Zone);
    }
    let loaded = load_uncached(name).map(Arc::new);
    if let Ok(mut guard) = cache.lock() {
        guard.insert(name.to_owned(), loaded.clone());
    }
    loaded.map(Loc::Zone)
}

fn load_uncached(name: &str) -> Option<Location> {
    if let Some(dir) = std::env::var_os("ZONEINFO") {
        let dir = dir.to_string_lossy();
        if !dir.is_empty()
            && let Some(data) = read_zone_file(&format!("{dir}/{name}"))
            && let Some(l) = Location::from_tzif(name, &data)
        {
            return Some(l);
        }
    }
    load_from_sources(name, &ZONE_SOURCES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posix_rules() {
        // 2021-07-01 12:00 UTC is summer time in New York.
        let summer = 1_625_140_800;
        let info = tzset("EST5EDT,M3.2.0,M11.1.0", 0, summer).unwrap_or_else(|| unreachable!());
        assert_eq!(
            (info.name.as_str(), info.offset, info.is_dst),
            ("EDT", -14400, true)
        );
        let winter = 1_609_502_400;
        let info = tzset("EST5EDT,M3.2.0,M11.1.0", 0, winter).unwrap_or_else(|| unreachable!());
        assert_eq!((info.name.as_str(), info.offset), ("EST", -18000));
        // Southern hemisphere: DST in January.
        let info =
            tzset("AEST-10AEDT,M10.1.0,M4.1.0/3", 0, winter).unwrap_or_else(|| unreachable!());
        assert_eq!((info.name.as_str(), info.offset), ("AEDT", 39600));
        let info = tzset("<+0530>-5:30", 0, winter).unwrap_or_else(|| unreachable!());
        assert_eq!((info.name.as_str(), info.offset), ("+0530", 19800));
        assert!(tzset("X5", 0, 0).is_none());
    }

    #[test]
    fn fixed_zone_and_names() {
        let l = Location::fixed("ABC", 3600);
        assert_eq!(l.lookup(0).offset, 3600);
        assert_eq!(l.lookup_name("ABC", 0), Some(3600));
        assert_eq!(l.lookup_name("XYZ", 0), None);
        assert_eq!(Location::utc_named("UTC").lookup(5).name, "UTC");
    }

    #[test]
    fn rejects_bad_tzif() {
        assert!(Location::from_tzif("x", b"TZif").is_none());
        assert!(Location::from_tzif("x", b"nope").is_none());
        assert!(Location::from_tzif("x", &[]).is_none());
    }
}
