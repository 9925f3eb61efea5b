//! Sprig's `semver` and `semverCompare`: a port of Masterminds/semver v3.5
//! (the version Helm 4.2 links) `NewVersion`, `NewConstraint` and
//! `Constraints.Check`, including its prerelease rules (a constraint
//! without a prerelease never matches a prerelease version, which is why
//! charts write `>=1.21-0`), and the `*semver.Version` object templates
//! see (`.Major`, `.Prerelease`, `.Original`, `String()`, comparisons).

use std::any::Any;
use std::rc::Rc;

use rudder_template::{FuncError, FuncMap};
use rudder_value::{GoType, IntKind, Object, ObjectRepr, Signature, Value};

use crate::cast::{NumError, parse_uint};
use crate::regex::{GoRegex, compile};
use crate::util::{S, def, sig};

const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
const LOOSE: &str = r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$";

/// The Go type name of the object `semver` returns.
const PTR_TYPE: &str = "*semver.Version";

fn re(p: &str) -> Result<Rc<GoRegex>, String> {
    compile(p)
}

/// A parsed version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
    /// Whether templates see `*semver.Version` (from `semver`) or a
    /// `semver.Version` value (from `IncMajor` and friends).
    pointer: bool,
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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

fn segment(s: &str) -> Result<u64, String> {
    parse_uint(s, 10).map_err(|e| {
        let why = match e {
            NumError::Syntax => "invalid syntax",
            NumError::Range => "value out of range",
        };
        format!(
            "error parsing version segment: strconv.ParseUint: parsing {}: {why}",
            rudder_value::fmt::quote(s)
        )
    })
}

fn contains_only(s: &str, allowed: impl Fn(char) -> bool) -> bool {
    s.chars().all(allowed)
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

fn validate_prerelease(p: &str) -> Result<(), String> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err("invalid prerelease string".into());
        } else if contains_only(part, |c| c.is_ascii_digit()) {
            if part.len() > 1 && part.starts_with('0') {
                return Err("version segment starts with 0".into());
            }
        } else if !contains_only(part, allowed) {
            return Err("invalid prerelease string".into());
        }
    }
    Ok(())
}

fn validate_metadata(m: &str) -> Result<(), String> {
    for part in m.split('.') {
        if part.is_empty() || !contains_only(part, allowed) {
            return Err("invalid metadata string".into());
        }
    }
    Ok(())
}

impl Version {
    /// `semver.NewVersion` (with `CoerceNewVersion`, the default).
    pub(crate) fn parse(v: &str) -> Result<Version, String> {
        let loose = re(LOOSE)?;
        let Some(m) = loose.re.captures(v) else {
            return Err("invalid semantic version".into());
        };
        let g = |i: usize| m.get(i).map_or("", |x| x.as_str());
        let mut out = Version {
            major: segment(g(1))?,
            minor: 0,
            patch: 0,
            pre: g(5).to_owned(),
            metadata: g(8).to_owned(),
            original: v.to_owned(),
            pointer: true,
        };
        if !g(2).is_empty() {
            out.minor = segment(g(2).trim_start_matches('.'))?;
        }
        if !g(3).is_empty() {
            out.patch = segment(g(3).trim_start_matches('.'))?;
        }
        if !out.pre.is_empty() {
            validate_prerelease(&out.pre)?;
        }
        if !out.metadata.is_empty() {
            validate_metadata(&out.metadata)?;
        }
        Ok(out)
    }

    fn compare(&self, o: &Version) -> i64 {
        for (a, b) in [
            (self.major, o.major),
            (self.minor, o.minor),
            (self.patch, o.patch),
        ] {
            if a != b {
                return if a < b { -1 } else { 1 };
            }
        }
        match (self.pre.is_empty(), o.pre.is_empty()) {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => -1,
            (false, false) => compare_prerelease(&self.pre, &o.pre),
        }
    }

    fn v_prefix(&self) -> &str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }

    fn with_original(mut self) -> Version {
        self.original = format!("{}{}", self.v_prefix(), self);
        self.pointer = false;
        self
    }
}

fn compare_prerelease(a: &str, b: &str) -> i64 {
    let (sa, sb): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
    for i in 0..sa.len().max(sb.len()) {
        let d = compare_pre_part(
            sa.get(i).copied().unwrap_or(""),
            sb.get(i).copied().unwrap_or(""),
        );
        if d != 0 {
            return d;
        }
    }
    0
}

fn compare_pre_part(s: &str, o: &str) -> i64 {
    if s == o {
        return 0;
    }
    if s.is_empty() {
        return -1;
    }
    if o.is_empty() {
        return 1;
    }
    match (parse_uint(s, 10), parse_uint(o, 10)) {
        (Err(_), Err(_)) => {
            if s > o {
                1
            } else {
                -1
            }
        }
        (Ok(_), Err(_)) => -1,
        (Err(_), Ok(_)) => 1,
        (Ok(si), Ok(oi)) => {
            if si > oi {
                1
            } else {
                -1
            }
        }
    }
}

/// One parsed constraint.
struct Constraint {
    con: Version,
    op: String,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn parse_constraint(c: &str) -> Result<Constraint, String> {
    let creg = re(&format!(r"^\s*({OPS})\s*({CV})\s*$"))?;
    let Some(m) = creg.re.captures(c) else {
        return Err(format!(
            "improper constraint: {}",
            rudder_value::fmt::quote(c)
        ));
    };
    let g = |i: usize| m.get(i).map_or("", |x| x.as_str());
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let ver = if is_x(g(3)) || g(3).is_empty() {
        dirty = true;
        format!("0.0.0{}", g(6))
    } else if is_x(g(4).trim_start_matches('.')) || g(4).is_empty() {
        minor_dirty = true;
        dirty = true;
        format!("{}.0.0{}", g(3), g(6))
    } else if is_x(g(5).trim_start_matches('.')) || g(5).is_empty() {
        dirty = true;
        patch_dirty = true;
        format!("{}{}.0{}", g(3), g(4), g(6))
    } else {
        g(2).to_owned()
    };
    let con = Version::parse(&ver).map_err(|_| "constraint parser error".to_owned())?;
    Ok(Constraint {
        con,
        op: g(1).to_owned(),
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

/// Parsed `Constraints`: OR groups of AND-ed constraints.
pub(crate) struct Constraints {
    groups: Vec<(Vec<Constraint>, bool)>,
}

impl Constraints {
    /// `semver.NewConstraint`.
    pub(crate) fn parse(c: &str) -> Result<Constraints, String> {
        let c = rewrite_range(c)?;
        let valid = re(&format!(
            r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$"
        ))?;
        let find = re(&format!(r"({OPS})\s*({CV})"))?;
        let mut groups = Vec::new();
        for part in c.split("||") {
            if !valid.re.is_match(part) {
                return Err(format!(
                    "improper constraint: {}",
                    rudder_value::fmt::quote(part)
                ));
            }
            let mut cs: Vec<&str> = find.re.find_iter(part).map(|m| m.as_str()).collect();
            if cs.is_empty() {
                cs.push(part);
            }
            let mut has_pre = false;
            let mut list = Vec::new();
            for s in cs {
                let pc = parse_constraint(s)?;
                has_pre |= !pc.con.pre.is_empty();
                list.push(pc);
            }
            groups.push((list, has_pre));
        }
        Ok(Constraints { groups })
    }

    /// `Constraints.Check`.
    pub(crate) fn check(&self, v: &Version) -> bool {
        self.groups
            .iter()
            .any(|(list, pre)| list.iter().all(|c| check_one(c, v, *pre)))
    }
}

fn rewrite_range(i: &str) -> Result<String, String> {
    let range = re(&format!(r"\s*({CV})\s+-\s+({CV})\s*"))?;
    let mut o = i.to_owned();
    for caps in range.re.captures_iter(i) {
        let whole = caps.get(0).map_or("", |m| m.as_str());
        let a = caps.get(1).map_or("", |m| m.as_str());
        let b = caps.get(11).map_or("", |m| m.as_str());
        o = o.replacen(whole, &format!(">= {a}, <= {b} "), 1);
    }
    Ok(o)
}

fn check_one(c: &Constraint, v: &Version, include_pre: bool) -> bool {
    if !v.pre.is_empty() && !include_pre {
        return false;
    }
    let con = &c.con;
    match c.op.as_str() {
        "" | "=" => {
            if c.dirty {
                tilde(c, v)
            } else {
                v.compare(con) == 0
            }
        }
        "!=" => {
            if c.dirty {
                if con.major != v.major {
                    return true;
                }
                if con.minor != v.minor && !c.minor_dirty {
                    return true;
                } else if c.minor_dirty {
                    return false;
                } else if con.patch != v.patch && !c.patch_dirty {
                    return true;
                } else if c.patch_dirty {
                    if !v.pre.is_empty() || !con.pre.is_empty() {
                        return compare_prerelease(&v.pre, &con.pre) != 0;
                    }
                    return false;
                }
            }
            v.compare(con) != 0
        }
        ">" => {
            if !c.dirty {
                return v.compare(con) == 1;
            }
            if v.major > con.major {
                true
            } else if v.major < con.major || c.minor_dirty {
                false
            } else if c.patch_dirty {
                v.minor > con.minor
            } else {
                v.compare(con) == 1
            }
        }
        "<" => v.compare(con) < 0,
        ">=" | "=>" => v.compare(con) >= 0,
        "<=" | "=<" => {
            if !c.dirty {
                return v.compare(con) <= 0;
            }
            !(v.major > con.major
                || (v.major == con.major && v.minor > con.minor && !c.minor_dirty))
        }
        "~" | "~>" => tilde(c, v),
        "^" => caret(c, v),
        _ => false,
    }
}

fn tilde(c: &Constraint, v: &Version) -> bool {
    let con = &c.con;
    if v.compare(con) < 0 {
        return false;
    }
    if con.major == 0 && con.minor == 0 && con.patch == 0 && !c.minor_dirty && !c.patch_dirty {
        return true;
    }
    if v.major != con.major {
        return false;
    }
    v.minor == con.minor || c.minor_dirty
}

fn caret(c: &Constraint, v: &Version) -> bool {
    let con = &c.con;
    if v.compare(con) < 0 {
        return false;
    }
    if con.major > 0 || c.minor_dirty {
        return v.major == con.major;
    }
    if con.major == 0 && v.major > 0 {
        return false;
    }
    if con.minor > 0 || c.patch_dirty {
        return v.minor == con.minor;
    }
    if con.minor == 0 && v.minor > 0 {
        return false;
    }
    con.patch == v.patch
}

impl Object for Version {
    fn type_name(&self) -> &str {
        if self.pointer {
            PTR_TYPE
        } else {
            "semver.Version"
        }
    }

    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Struct {
            pointer: self.pointer,
            fields: vec![
                ("major", Value::Int(self.major as i64, IntKind::Uint64)),
                ("minor", Value::Int(self.minor as i64, IntKind::Uint64)),
                ("patch", Value::Int(self.patch as i64, IntKind::Uint64)),
                ("pre", Value::str(&self.pre)),
                ("metadata", Value::str(&self.metadata)),
                ("original", Value::str(&self.original)),
            ],
        }
    }

    fn stringer(&self) -> Option<String> {
        Some(self.to_string())
    }

    fn field(&self, _name: &str) -> Option<Value> {
        // Every field is unexported.
        None
    }

    fn method(&self, name: &str) -> Option<Signature> {
        let ptr = GoType::Object(PTR_TYPE);
        match name {
            "Major" | "Minor" | "Patch" | "Prerelease" | "Metadata" | "String" | "IncPatch"
            | "IncMinor" | "IncMajor" | "MarshalText" | "MarshalJSON" => Some(sig(&[])),
            "SetPrerelease" | "SetMetadata" => Some(sig(&[S])),
            "Original" if self.pointer => Some(sig(&[])),
            "LessThan" | "LessThanEqual" | "GreaterThan" | "GreaterThanEqual" | "Equal"
            | "Compare"
                if self.pointer =>
            {
                Some(sig(&[ptr]))
            }
            _ => None,
        }
    }

    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        let other = || {
            args.first()
                .and_then(|a| a.downcast::<Version>())
                .cloned()
                .ok_or_else(|| "invalid memory address or nil pointer dereference".to_owned())
        };
        let u = |x: u64| Value::Int(x as i64, IntKind::Uint64);
        let arg_str = || {
            args.first()
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        Ok(match name {
            "Major" => u(self.major),
            "Minor" => u(self.minor),
            "Patch" => u(self.patch),
            "Prerelease" => Value::str(&self.pre),
            "Metadata" => Value::str(&self.metadata),
            "Original" => Value::str(&self.original),
            "String" => Value::string(self.to_string()),
            "MarshalText" => Value::Bytes(self.to_string().into_bytes().into()),
            "MarshalJSON" => Value::Bytes(
                rudder_value::fmt::quote(&self.to_string())
                    .into_bytes()
                    .into(),
            ),
            "IncPatch" => {
                let mut n = self.clone();
                if self.pre.is_empty() {
                    n.patch = self
                        .patch
                        .checked_add(1)
                        .ok_or("patch version increment would overflow uint64")?;
                }
                n.pre.clear();
                n.metadata.clear();
                Value::object(n.with_original_from(self))
            }
            "IncMinor" => {
                let mut n = self.clone();
                n.minor = self
                    .minor
                    .checked_add(1)
                    .ok_or("minor version increment would overflow uint64")?;
                n.patch = 0;
                n.pre.clear();
                n.metadata.clear();
                Value::object(n.with_original_from(self))
            }
            "IncMajor" => {
                let mut n = self.clone();
                n.major = self
                    .major
                    .checked_add(1)
                    .ok_or("major version increment would overflow uint64")?;
                n.minor = 0;
                n.patch = 0;
                n.pre.clear();
                n.metadata.clear();
                Value::object(n.with_original_from(self))
            }
            "SetPrerelease" => {
                let p = arg_str();
                if !p.is_empty() {
                    validate_prerelease(&p)?;
                }
                let mut n = self.clone();
                n.pre = p;
                Value::object(n.with_original_from(self))
            }
            "SetMetadata" => {
                let p = arg_str();
                if !p.is_empty() {
                    validate_metadata(&p)?;
                }
                let mut n = self.clone();
                n.metadata = p;
                Value::object(n.with_original_from(self))
            }
            "LessThan" => Value::Bool(self.compare(&other()?) < 0),
            "LessThanEqual" => Value::Bool(self.compare(&other()?) <= 0),
            "GreaterThan" => Value::Bool(self.compare(&other()?) > 0),
            "GreaterThanEqual" => Value::Bool(self.compare(&other()?) >= 0),
            "Equal" => Value::Bool(self.compare(&other()?) == 0),
            "Compare" => Value::int(self.compare(&other()?)),
            _ => return Err(format!("can't call method/function {name:?}")),
        })
    }

    fn marshal_json(&self) -> Result<Value, String> {
        Ok(Value::string(self.to_string()))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Version {
    /// The `original` Go's increment methods store: the old `v` prefix and
    /// the new version text.
    fn with_original_from(self, old: &Version) -> Version {
        let prefix = old.v_prefix().to_owned();
        let mut n = self.with_original();
        n.original = format!("{prefix}{n}");
        n
    }
}

pub(crate) fn register(m: &mut FuncMap) {
    def(m, "semver", sig(&[S]), |mut a| {
        Version::parse(&a.str()?)
            .map(Value::object)
            .map_err(FuncError::new)
    });
    def(m, "semverCompare", sig(&[S, S]), |mut a| {
        let (c, v) = (a.str()?, a.str()?);
        let cs = Constraints::parse(&c).map_err(FuncError::new)?;
        let v = Version::parse(&v).map_err(FuncError::new)?;
        Ok(Value::Bool(cs.check(&v)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: &str, v: &str) -> bool {
        match (Constraints::parse(c), Version::parse(v)) {
            (Ok(c), Ok(v)) => c.check(&v),
            _ => false,
        }
    }

    #[test]
    fn constraints() {
        assert!(check(">=1.21", "1.28.3"));
        assert!(!check(">=1.21", "1.28.3-gke.100"));
        assert!(check(">=1.21-0", "1.28.3-gke.100"));
        assert!(check("^1.2.3", "1.9.0"));
        assert!(!check("^1.2.3", "2.0.0"));
        assert!(check("~1.2", "1.2.9"));
        assert!(!check("~1.2", "1.3.0"));
        assert!(check("1.2 - 1.4", "1.3.0"));
        assert!(check(">1.0 <2 || 3.x", "3.5.0"));
        assert!(check("!=1.2.3", "1.2.4"));
        assert!(check("1.x", "1.5.5"));
        assert!(Constraints::parse("foo").is_err());
    }

    #[test]
    fn versions() {
        let v = Version::parse("v1.2.3-beta.1+build").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.to_string(), "1.2.3-beta.1+build");
        assert_eq!(
            Version::parse("1.2").map(|v| v.to_string()).ok().as_deref(),
            Some("1.2.0")
        );
        assert_eq!(
            Version::parse("x").err().as_deref(),
            Some("invalid semantic version")
        );
        assert_eq!(
            Version::parse("1.2.3-01").err().as_deref(),
            Some("version segment starts with 0")
        );
    }
}
