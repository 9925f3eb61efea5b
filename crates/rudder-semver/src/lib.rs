//! Semantic versions and constraints with the semantics of Go's
//! `github.com/Masterminds/semver/v3` (v3.5.0), which Helm uses for chart
//! versions, dependency version ranges and `kubeVersion`, Sprig for
//! `semver`/`semverCompare`, and Helm 4.1.4+ for plugin versions
//! ([`is_strict_semver`]). One port for all of them, so a constraint means
//! the same thing in a `Chart.yaml` as in a template.
//!
//! Masterminds differs from Cargo's semver in ways charts rely on: a `v`
//! prefix and partial versions (`1`, `1.2`) parse, leading zeros are
//! tolerated ("coerce" mode), constraints support `||`, comma or space
//! separated AND groups, hyphen ranges, `x`/`*` wildcards, `~`, `~>`, `^`,
//! `!=`, `=>` and `=<`, and pre-releases only satisfy a constraint group
//! that itself names a pre-release. Error texts are Masterminds' (templates
//! show them to users: `error calling semverCompare: improper constraint:
//! "foo"`).
//!
//! Written from Masterminds' documented behaviour and tests, and checked
//! against Helm 4.2.3 through the template-function oracle cases in
//! `rudder-funcs`. Why not the `semver` crate: it implements Cargo's
//! rules, which reject or reorder half of the above.

mod strict;

pub use strict::is_strict_semver;

use std::cmp::Ordering;
use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

/// Why a version or constraint string was rejected. The texts are
/// Masterminds'.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SemverError {
    /// The string is not a version at all.
    #[error("invalid semantic version")]
    InvalidSemVer,
    /// A numeric segment does not fit in 64 bits.
    #[error("error parsing version segment: strconv.ParseUint: parsing {0}: value out of range")]
    SegmentRange(String),
    /// An empty or malformed pre-release identifier.
    #[error("invalid prerelease string")]
    InvalidPrerelease,
    /// A numeric pre-release identifier with a leading zero.
    #[error("version segment starts with 0")]
    SegmentStartsZero,
    /// Malformed build metadata.
    #[error("invalid metadata string")]
    InvalidMetadata,
    /// A constraint that does not parse.
    #[error("improper constraint: {0}")]
    ImproperConstraint(String),
    /// A constraint whose version passed the constraint syntax but is not a
    /// version (a segment out of range).
    #[error("constraint parser error")]
    ConstraintParser,
    /// An increment past `u64::MAX`; the field is `major`, `minor` or
    /// `patch`.
    #[error("{0} version increment would overflow uint64")]
    IncrementOverflow(&'static str),
}

/// A parsed version (Masterminds `*semver.Version`).
#[derive(Debug, Clone)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

static LOOSE_VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?",
        r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
        r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$"
    ))
    .unwrap_or_else(|_| unreachable!("constant regex"))
});

/// The version part of a constraint, with `x`, `X` and `*` wildcards. The
/// class `[0-9|x|X|\*]` really does admit `|`, as Masterminds' does.
const CV: &str = concat!(
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?",
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
);
/// Operators, in Masterminds' alternation order (leftmost-first matters).
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
/// Go's RE2 `\s` is ASCII only.
const SP: &str = r"[\t\n\f\r ]";

fn build(re: &str) -> Regex {
    Regex::new(re).unwrap_or_else(|_| unreachable!("constant regex"))
}

static CONSTRAINT: LazyLock<Regex> =
    LazyLock::new(|| build(&format!(r"^{SP}*({OPS}){SP}*({CV}){SP}*$")));
static CONSTRAINT_RANGE: LazyLock<Regex> =
    LazyLock::new(|| build(&format!(r"{SP}*({CV}){SP}+-{SP}+({CV}){SP}*")));
static FIND_CONSTRAINT: LazyLock<Regex> = LazyLock::new(|| build(&format!(r"({OPS}){SP}*({CV})")));
static VALID_CONSTRAINT: LazyLock<Regex> = LazyLock::new(|| {
    build(&format!(
        r"^({SP}*({OPS}){SP}*({CV}){SP}*)((?:{SP}+|,{SP}*)({OPS}){SP}*({CV}){SP}*)*$"
    ))
});

fn parse_u64(s: &str) -> Result<u64, SemverError> {
    s.parse::<u64>()
        .map_err(|_| SemverError::SegmentRange(rudder_value::fmt::quote(s)))
}

fn only(s: &str, allowed: impl Fn(char) -> bool) -> bool {
    s.chars().all(allowed)
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

fn validate_prerelease(p: &str) -> Result<(), SemverError> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err(SemverError::InvalidPrerelease);
        } else if only(part, |c| c.is_ascii_digit()) {
            if part.len() > 1 && part.starts_with('0') {
                return Err(SemverError::SegmentStartsZero);
            }
        } else if !only(part, is_ident_char) {
            return Err(SemverError::InvalidPrerelease);
        }
    }
    Ok(())
}

fn validate_metadata(m: &str) -> Result<(), SemverError> {
    for part in m.split('.') {
        if part.is_empty() || !only(part, is_ident_char) {
            return Err(SemverError::InvalidMetadata);
        }
    }
    Ok(())
}

impl Version {
    /// Masterminds' `NewVersion` in its default coerce mode: `v` prefix,
    /// missing minor/patch and leading zeros are accepted.
    pub fn parse(v: &str) -> Result<Version, SemverError> {
        let caps = LOOSE_VERSION
            .captures(v)
            .ok_or(SemverError::InvalidSemVer)?;
        let group = |i: usize| caps.get(i).map_or("", |m| m.as_str());
        let major = parse_u64(group(1))?;
        let minor = match group(2) {
            "" => 0,
            s => parse_u64(s.trim_start_matches('.'))?,
        };
        let patch = match group(3) {
            "" => 0,
            s => parse_u64(s.trim_start_matches('.'))?,
        };
        let pre = group(5).to_owned();
        let metadata = group(8).to_owned();
        if !pre.is_empty() {
            validate_prerelease(&pre)?;
        }
        if !metadata.is_empty() {
            validate_metadata(&metadata)?;
        }
        Ok(Version {
            major,
            minor,
            patch,
            pre,
            metadata,
            original: v.to_owned(),
        })
    }

    /// The major number.
    pub fn major(&self) -> u64 {
        self.major
    }

    /// The minor number.
    pub fn minor(&self) -> u64 {
        self.minor
    }

    /// The patch number.
    pub fn patch(&self) -> u64 {
        self.patch
    }

    /// The pre-release, without its `-`.
    pub fn prerelease(&self) -> &str {
        &self.pre
    }

    /// The build metadata, without its `+`.
    pub fn metadata(&self) -> &str {
        &self.metadata
    }

    /// The string the version was parsed from.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// Precedence order: numbers, then a release sorts after its
    /// pre-releases; metadata is ignored.
    pub fn compare(&self, o: &Version) -> Ordering {
        let by_numbers = (self.major, self.minor, self.patch).cmp(&(o.major, o.minor, o.patch));
        if by_numbers != Ordering::Equal {
            return by_numbers;
        }
        match (self.pre.is_empty(), o.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => compare_prerelease(&self.pre, &o.pre),
        }
    }

    /// The `v` the original text started with, if any (kept by the
    /// derived versions below, as Masterminds does).
    fn v_prefix(&self) -> &'static str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }

    /// A derived version whose original text is this one's `v` prefix and
    /// its normalised form.
    fn derived(
        &self,
        major: u64,
        minor: u64,
        patch: u64,
        pre: String,
        metadata: String,
    ) -> Version {
        let mut v = Version {
            major,
            minor,
            patch,
            pre,
            metadata,
            original: String::new(),
        };
        v.original = format!("{}{v}", self.v_prefix());
        v
    }

    /// `IncPatch`: the next patch release; a pre-release becomes its own
    /// release (`1.2.3-rc.1` -> `1.2.3`). Metadata is dropped.
    pub fn inc_patch(&self) -> Result<Version, SemverError> {
        let patch = if self.pre.is_empty() {
            self.patch
                .checked_add(1)
                .ok_or(SemverError::IncrementOverflow("patch"))?
        } else {
            self.patch
        };
        Ok(self.derived(self.major, self.minor, patch, String::new(), String::new()))
    }

    /// `IncMinor`: `x.(y+1).0`, no pre-release or metadata.
    pub fn inc_minor(&self) -> Result<Version, SemverError> {
        let minor = self
            .minor
            .checked_add(1)
            .ok_or(SemverError::IncrementOverflow("minor"))?;
        Ok(self.derived(self.major, minor, 0, String::new(), String::new()))
    }

    /// `IncMajor`: `(x+1).0.0`, no pre-release or metadata.
    pub fn inc_major(&self) -> Result<Version, SemverError> {
        let major = self
            .major
            .checked_add(1)
            .ok_or(SemverError::IncrementOverflow("major"))?;
        Ok(self.derived(major, 0, 0, String::new(), String::new()))
    }

    /// `SetPrerelease`: the same version with pre-release `pre` (empty
    /// removes it).
    pub fn with_prerelease(&self, pre: &str) -> Result<Version, SemverError> {
        if !pre.is_empty() {
            validate_prerelease(pre)?;
        }
        Ok(self.derived(
            self.major,
            self.minor,
            self.patch,
            pre.to_owned(),
            self.metadata.clone(),
        ))
    }

    /// `SetMetadata`: the same version with build metadata `metadata`
    /// (empty removes it).
    pub fn with_metadata(&self, metadata: &str) -> Result<Version, SemverError> {
        if !metadata.is_empty() {
            validate_metadata(metadata)?;
        }
        Ok(self.derived(
            self.major,
            self.minor,
            self.patch,
            self.pre.clone(),
            metadata.to_owned(),
        ))
    }
}

impl fmt::Display for Version {
    /// The normalised form `1.2.3-pre+meta` (no `v`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let ap: Vec<&str> = a.split('.').collect();
    let bp: Vec<&str> = b.split('.').collect();
    for i in 0..ap.len().max(bp.len()) {
        let d = compare_pre_part(
            ap.get(i).copied().unwrap_or(""),
            bp.get(i).copied().unwrap_or(""),
        );
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        // A numeric identifier sorts before an alphanumeric one.
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Ok(si), Ok(oi)) => {
            if si > oi {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    TildeOrEqual,
    NotEqual,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    Tilde,
    Caret,
}

impl Op {
    fn from_str(s: &str) -> Op {
        match s {
            "!=" => Op::NotEqual,
            ">" => Op::Greater,
            "<" => Op::Less,
            ">=" | "=>" => Op::GreaterEqual,
            "<=" | "=<" => Op::LessEqual,
            "~" | "~>" => Op::Tilde,
            "^" => Op::Caret,
            _ => Op::TildeOrEqual,
        }
    }
}

#[derive(Debug, Clone)]
struct Constraint {
    con: Version,
    op: Op,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

impl Constraint {
    fn parse(c: &str) -> Result<Constraint, SemverError> {
        if c.is_empty() {
            return Ok(Constraint {
                con: Version::parse("0.0.0")?,
                op: Op::TildeOrEqual,
                minor_dirty: false,
                patch_dirty: false,
                dirty: true,
            });
        }
        let caps = CONSTRAINT
            .captures(c)
            .ok_or_else(|| SemverError::ImproperConstraint(rudder_value::fmt::quote(c)))?;
        let g = |i: usize| caps.get(i).map_or("", |m| m.as_str());
        let (m3, m4, m5, m6) = (g(3), g(4), g(5), g(6));
        let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
        let ver = if is_x(m3) || m3.is_empty() {
            dirty = true;
            format!("0.0.0{m6}")
        } else if is_x(m4.trim_start_matches('.')) || m4.is_empty() {
            dirty = true;
            minor_dirty = true;
            format!("{m3}.0.0{m6}")
        } else if is_x(m5.trim_start_matches('.')) || m5.is_empty() {
            dirty = true;
            patch_dirty = true;
            format!("{m3}{m4}.0{m6}")
        } else {
            g(2).to_owned()
        };
        let con = Version::parse(&ver).map_err(|_| SemverError::ConstraintParser)?;
        Ok(Constraint {
            con,
            op: Op::from_str(g(1)),
            minor_dirty,
            patch_dirty,
            dirty,
        })
    }

    fn check(&self, v: &Version, include_pre: bool) -> bool {
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        let c = &self.con;
        match self.op {
            Op::NotEqual => {
                if self.dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                        }
                        return false;
                    }
                }
                v.compare(c) != Ordering::Equal
            }
            Op::Greater => {
                if !self.dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                if v.major > c.major {
                    true
                } else if v.major < c.major || self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
                } else {
                    v.compare(c) == Ordering::Greater
                }
            }
            Op::Less => v.compare(c) == Ordering::Less,
            Op::GreaterEqual => v.compare(c) != Ordering::Less,
            Op::LessEqual => {
                if !self.dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                !(v.major > c.major
                    || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
            }
            Op::Tilde => self.tilde(v),
            Op::TildeOrEqual => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v.compare(c) == Ordering::Equal
                }
            }
            Op::Caret => {
                if v.compare(c) == Ordering::Less {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    return v.major == c.major;
                }
                if v.major > 0 {
                    return false;
                }
                if c.minor > 0 || self.patch_dirty {
                    return v.minor == c.minor;
                }
                if v.minor > 0 {
                    return false;
                }
                c.patch == v.patch
            }
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }
}

/// A parsed constraint expression (Masterminds `*semver.Constraints`).
#[derive(Debug, Clone)]
pub struct Constraints {
    groups: Vec<(Vec<Constraint>, bool)>,
}

fn rewrite_range(input: &str) -> String {
    let mut out = input.to_owned();
    for caps in CONSTRAINT_RANGE.captures_iter(input) {
        let whole = caps.get(0).map_or("", |m| m.as_str());
        let lo = caps.get(1).map_or("", |m| m.as_str());
        // The second version is group 11 (the first spans groups 1-10).
        let hi = caps.get(11).map_or("", |m| m.as_str());
        out = out.replacen(whole, &format!(">= {lo}, <= {hi} "), 1);
    }
    out
}

impl Constraints {
    /// Masterminds' `NewConstraint`.
    pub fn parse(c: &str) -> Result<Constraints, SemverError> {
        let c = rewrite_range(c);
        let mut groups = Vec::new();
        for or in c.split("||") {
            if !VALID_CONSTRAINT.is_match(or) {
                return Err(SemverError::ImproperConstraint(rudder_value::fmt::quote(
                    or,
                )));
            }
            let mut found: Vec<&str> = FIND_CONSTRAINT.find_iter(or).map(|m| m.as_str()).collect();
            if found.is_empty() {
                found.push(or);
            }
            let mut group = Vec::with_capacity(found.len());
            let mut has_pre = false;
            for s in found {
                let pc = Constraint::parse(s)?;
                has_pre |= !pc.con.pre.is_empty();
                group.push(pc);
            }
            groups.push((group, has_pre));
        }
        Ok(Constraints { groups })
    }

    /// Whether `v` satisfies any OR group (all constraints of the group).
    pub fn check(&self, v: &Version) -> bool {
        self.groups
            .iter()
            .any(|(group, has_pre)| group.iter().all(|c| c.check(v, *has_pre)))
    }
}

/// Helm's `IsCompatibleRange`: false when either side fails to parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    let Ok(v) = Version::parse(version) else {
        return false;
    };
    let Ok(c) = Constraints::parse(constraint) else {
        return false;
    };
    c.check(&v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(c: &str, v: &str) -> bool {
        is_compatible_range(c, v)
    }

    #[test]
    fn versions_parse_leniently() {
        assert!(Version::parse("1").is_ok());
        assert!(Version::parse("v1.2").is_ok());
        assert!(Version::parse("01.02.03").is_ok());
        assert!(Version::parse("1.2.3-alpha.1+build.5").is_ok());
        assert!(Version::parse("1.2.3.4").is_err());
        assert!(Version::parse("").is_err());
        assert_eq!(
            Version::parse("1.2.3-01").err(),
            Some(SemverError::SegmentStartsZero)
        );
        assert_eq!(
            Version::parse("v1.2")
                .map(|v| v.to_string())
                .ok()
                .as_deref(),
            Some("1.2.0")
        );
    }

    #[test]
    fn constraint_forms() {
        assert!(ok(">=1.2.3", "1.2.3"));
        assert!(!ok(">1.2.3", "1.2.3"));
        assert!(ok("~1.2.3", "1.2.9"));
        assert!(!ok("~1.2.3", "1.3.0"));
        assert!(ok("^1.2.3", "1.9.0"));
        assert!(!ok("^1.2.3", "2.0.0"));
        assert!(ok("^0.2.3", "0.2.9"));
        assert!(!ok("^0.2.3", "0.3.0"));
        assert!(ok("1.x", "1.5.0"));
        assert!(ok("*", "3.0.0"));
        // NewConstraint rejects the empty string (only parseConstraint takes it).
        assert!(!ok("", "3.0.0"));
        assert!(ok("1.2 - 1.4", "1.3.5"));
        assert!(ok(">=1.0.0 <2.0.0", "1.5.0"));
        assert!(ok(">=1.0.0, <2.0.0", "1.5.0"));
        assert!(ok("<1.0.0 || >=3.0.0", "3.1.0"));
        assert!(ok("!=1.2.3", "1.2.4"));
        assert!(ok(">=1.20.0-0", "v1.36.0"));
        assert!(ok(">= 1.19.0-0", "1.36.0"));
    }

    #[test]
    fn prereleases_need_a_prerelease_constraint() {
        assert!(!ok(">=1.0.0", "1.1.0-alpha"));
        assert!(ok(">=1.0.0-0", "1.1.0-alpha"));
        assert!(!ok("1.x", "1.2.0-rc.1"));
    }

    #[test]
    fn derived_versions_keep_the_v_prefix() {
        let v = Version::parse("v1.2.3-rc.1+b5").unwrap();
        let next = v.inc_patch().unwrap();
        assert_eq!(
            (next.to_string().as_str(), next.original()),
            ("1.2.3", "v1.2.3")
        );
        assert_eq!(v.inc_minor().unwrap().original(), "v1.3.0");
        assert_eq!(
            Version::parse("1.2.3")
                .unwrap()
                .inc_major()
                .unwrap()
                .original(),
            "2.0.0"
        );
        assert_eq!(
            Version::parse("1.2.3")
                .unwrap()
                .inc_patch()
                .unwrap()
                .to_string(),
            "1.2.4"
        );
        assert_eq!(v.with_prerelease("").unwrap().to_string(), "1.2.3+b5");
        assert_eq!(
            v.with_metadata("m.1").unwrap().to_string(),
            "1.2.3-rc.1+m.1"
        );
        assert_eq!(
            v.with_prerelease("01").err(),
            Some(SemverError::SegmentStartsZero)
        );
        assert_eq!(
            v.with_metadata("a..b").err(),
            Some(SemverError::InvalidMetadata)
        );
        let max = Version::parse(&format!("{}.0.0", u64::MAX)).unwrap();
        assert_eq!(
            max.inc_major().err().map(|e| e.to_string()).as_deref(),
            Some("major version increment would overflow uint64")
        );
    }

    #[test]
    fn improper_constraints() {
        assert!(Constraints::parse("foo").is_err());
        assert!(Constraints::parse(">= 1.2.3 ||").is_err());
    }
}
