//! Masterminds `StrictNewVersion`, the check Helm 4.1.4+ applies to
//! plugin versions (the CVE-2026-35204 fix): exactly `MAJOR.MINOR.PATCH`
//! with optional `-pre.release` and `+build.meta`, no `v` prefix, no
//! leading zeros in numeric parts. Because only ASCII alphanumerics,
//! `-`, `.` and `+` can pass, a version can never carry a path separator
//! or `..` into the `<name>-<version>.tgz` file names Helm builds from it.

use crate::{validate_metadata, validate_prerelease};

/// Whether `v` is a strict SemVer 2 version as Masterminds parses it.
pub fn is_strict_semver(v: &str) -> bool {
    if v.is_empty() {
        return false;
    }
    let mut parts = v.splitn(3, '.');
    let (Some(major), Some(minor), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let (rest, meta) = match rest.split_once('+') {
        Some((r, m)) => (r, Some(m)),
        None => (rest, None),
    };
    if meta.is_some_and(|m| validate_metadata(m).is_err()) {
        return false;
    }
    let (patch, pre) = match rest.split_once('-') {
        Some((p, pre)) => (p, Some(pre)),
        None => (rest, None),
    };
    // The same identifier rules as a lenient version's (empty, non-ASCII
    // and leading-zero numeric identifiers are refused).
    if pre.is_some_and(|p| validate_prerelease(p).is_err()) {
        return false;
    }
    [major, minor, patch].iter().all(|p| {
        // strconv.ParseUint rejects empty and overflowing parts too.
        !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_digit())
            && !(p.len() > 1 && p.starts_with('0'))
            && p.parse::<u64>().is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_versions() {
        for ok in [
            "0.1.0",
            "1.2.3",
            "1.2.3-alpha.1+build.5",
            "10.20.30",
            "1.0.0-0A.is.legal",
            "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
            "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay",
        ] {
            assert!(is_strict_semver(ok), "{ok}");
        }
        for bad in [
            "",
            "v1.0.0",
            "0.1",
            "1",
            "0.6.7.1",
            "01.1.1",
            "1.01.1",
            "1.1.01",
            "1.2.3-01",
            "1.2.3-",
            "1.2.3+",
            "1.2.3-a..b",
            "1.2.3+a..b",
            "1..3",
            "1.2.3 ",
            "../../x",
            "1.2.3/../../x",
            "1.2.3-../x",
            "1.2.3+a/b",
            "1.2.3-a_b",
            "99999999999999999999.0.0",
            "1.2.3-é",
        ] {
            assert!(!is_strict_semver(bad), "{bad}");
        }
    }
}
